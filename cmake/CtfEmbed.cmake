# cmake -DIN=file -DOUT=file.cpp -DSYMBOL=name -P CtfEmbed.cmake: the bytes of IN as a C++ array
# (a generated source, so that compiler caches see the content change).
file(READ ${IN} _hex HEX)
string(LENGTH "${_hex}" _len)
math(EXPR _size "${_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _bytes "${_hex}")
string(REGEX REPLACE "((0x..,){24})" "\\1\n" _bytes "${_bytes}")
file(WRITE ${OUT}.tmp "// Generated from ${IN} by CtfEmbed.cmake.\n#include <cstddef>\nextern \"C\" {\nalignas(8) extern const unsigned char ${SYMBOL}_data[] = {\n${_bytes}\n};\nextern const size_t ${SYMBOL}_size = ${_size};\n}\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
