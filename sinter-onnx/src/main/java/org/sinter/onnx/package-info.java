/** ONNX import: {@code .onnx} files parsed with protobuf-java into the compiler's IR (see docs/onnx.md). */
package org.sinter.onnx;
