#!/usr/bin/env bash
# Rebuilds src/main/resources/org/sinter/data/text/kjv-genesis-2samuel.txt.gz, the bundled
# public-domain excerpt of the King James Bible (Genesis to 2 Samuel), from Debian's
# bible-kjv-text package (read through the `bible` program of package bible-kjv):
#   apt-get install -y bible-kjv bible-kjv-text && sinter-data/tools/make-kjv-excerpt.sh
# Output: a heading line per book, then one verse per line as "chapter:verse text".
set -euo pipefail
out="$(dirname "$0")/../src/main/resources/org/sinter/data/text/kjv-genesis-2samuel.txt.gz"
mkdir -p "$(dirname "$out")"
bible -f "Gen1:1-2Sam24:25" | awk '
  BEGIN {
    name["Ge"] = "Genesis"; name["Exo"] = "Exodus"; name["Lev"] = "Leviticus";
    name["Num"] = "Numbers"; name["Deu"] = "Deuteronomy"; name["Josh"] = "Joshua";
    name["Jdgs"] = "Judges"; name["Ruth"] = "Ruth"; name["1Sm"] = "1 Samuel"; name["2Sm"] = "2 Samuel";
  }
  {
    ref = $1; text = substr($0, length(ref) + 2);
    match(ref, /[0-9]+:[0-9]+$/); book = substr(ref, 1, RSTART - 1); cv = substr(ref, RSTART);
    if (!(book in name)) { print "unknown book " book > "/dev/stderr"; exit 1 }
    if (book != last) { if (NR > 1) print ""; print "The Book of " name[book]; print ""; last = book }
    print cv " " text;
  }' | gzip -9n > "$out"
ls -l "$out"
