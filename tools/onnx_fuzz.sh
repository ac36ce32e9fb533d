#!/usr/bin/env bash
# The ONNX protobuf-field fuzzer (issue 11): CASES mutated copies of real models (the PyTorch exports
# checked in under sinter-onnx/src/test/resources/pytorch, and node/model tests of Debian's
# libonnx-testdata covering control flow, sequences, recurrent, shape and data-dependent operators),
# each loaded and, when it loads, run. Prints every crash or hang and the counts by outcome; exits 1
# if any case crashed or ran past TIMEOUT_MS.
#   tools/onnx_fuzz.sh [CASES=10000] [SEED=1] [TIMEOUT_MS=10000]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CASES="${1:-10000}"; SEED="${2:-1}"; TIMEOUT="${3:-10000}"
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk || exit 1
JAR="$ROOT/sinter-cli/target/sinter.jar"
if [ -z "${SINTER_FUZZ_CP:-}" ] && { [ ! -f "$JAR" ] || [ -n "$(find "$ROOT"/sinter-*/src/main "$ROOT"/pom.xml -newer "$JAR" -type f -print -quit)" ]; }; then
  (cd "$ROOT" && ./mvnw -q -B -ntp -pl sinter-cli -am package -DskipTests) >&2
fi
DATA=/usr/share/libonnx-testdata/data
MODELS=("$ROOT"/sinter-onnx/src/test/resources/pytorch/*/model.onnx)
for t in node/test_loop11 node/test_if node/test_scan9_sum node/test_sequence_map_add_2_sequences node/test_reshape_reordered_all_dims \
         node/test_slice node/test_resize_upsample_sizes_nearest node/test_constantofshape_int_zeros node/test_nonzero_example \
         node/test_unique_sorted_with_axis node/test_nonmaxsuppression_suppress_by_IOU node/test_gru_defaults node/test_lstm_defaults \
         node/test_einsum_batch_matmul node/test_top_k node/test_range_float_type_positive_delta_expanded \
         node/test_tfidfvectorizer_tf_uniandbigrams_skip5 node/test_qlinearconv node/test_expand_dim_changed node/test_tile node/test_edge_pad \
         node/test_conv_with_strides_padding node/test_maxpool_2d_pads node/test_gather_elements_0 node/test_scatternd \
         node/test_split_variable_parts_1d node/test_layer_normalization_4d_axis3_expanded node/test_det_nd \
         node/test_maxunpool_export_with_output_shape node/test_optional_get_element_sequence pytorch-converted/test_ConvTranspose2d \
         pytorch-converted/test_BatchNorm2d_eval simple/test_sequence_model1 simple/test_single_relu_model; do
  [ -f "$DATA/$t/model.onnx" ] && MODELS+=("$DATA/$t/model.onnx")
done
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx4g \
  -cp "${SINTER_FUZZ_CP:-$JAR}" org.sinter.onnx.fuzz.FieldFuzzer "$CASES" "$SEED" "$TIMEOUT" "${MODELS[@]}"
