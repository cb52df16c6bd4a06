#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build step: the project's own fuzz/build.sh, which takes
# $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE $OUT $WORK from the environment and writes the
# three targets, their dictionaries, options and seed corpora, lib/ and dmods/ into $OUT.
# Checked locally the same way: docs/fuzzing.md, "ClusterFuzzLite".
exec "$SRC/mdbsim/fuzz/build.sh"
