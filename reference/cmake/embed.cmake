# cmake -DOUT=file.c -DSYMBOL=name -DFILES="a;b" -P embed.cmake
# Writes a C file holding each input file as a NUL-terminated string:
#   const struct rs_embedded SYMBOL[] = {{"name", "text"}, ..., {NULL, NULL}};
# The text is written as hexadecimal escapes so that no file content can
# break the C syntax.
set(body "/* Generated from ${FILES_DESC} by embed.cmake: do not edit. */\n")
string(APPEND body "#include \"rs/embedded.h\"\n\n")
set(entries "")
set(index 0)
foreach(f ${FILES})
    get_filename_component(name ${f} NAME)
    file(READ ${f} hex HEX)
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
    string(APPEND body "static const char ${SYMBOL}_${index}[] = {${bytes}0x00};\n")
    string(APPEND entries "    {\"${name}\", ${SYMBOL}_${index}},\n")
    math(EXPR index "${index} + 1")
endforeach()
string(APPEND body "\nconst struct rs_embedded ${SYMBOL}[] = {\n${entries}    {0, 0},\n};\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
