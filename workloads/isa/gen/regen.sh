#!/bin/sh
# Regenerates the table-driven test programs in ../ from the Python reference
# model; run from anywhere.  Needs python3 only.  Intermediate files go to a
# temporary directory.
#   rv64f.c, rv64d.c  <- fpref.py (IEEE 754 reference) + genfp.py + mkfp.py + fp_*_extra.c.in
#   zba.c, zbb.c, zbs.c <- genb.py + mkzb.py
# genm.py and gena.py print the check lines that were pasted into rv64m.c and
# rv64a.c (those two files are otherwise hand-written).
set -e
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$here"/*.py "$here"/*.c.in "$tmp"/
cd "$tmp"
for f in f d; do
    python3 genfp.py $f > /dev/null
    python3 mkfp.py $f > rv64$f.c && cp rv64$f.c "$here/../rv64$f.c"
done
for z in zba zbb zbs; do
    python3 genb.py $z > ${z}_lines.txt
    python3 mkzb.py $z > $z.c && cp $z.c "$here/../$z.c"
done
echo "regenerated rv64f.c rv64d.c zba.c zbb.c zbs.c"
