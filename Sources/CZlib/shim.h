#ifndef TOOLHOST_CZLIB_SHIM_H
#define TOOLHOST_CZLIB_SHIM_H
#include <zlib.h>

/// inflateInit2 is a macro (it passes the library version and the struct size), which Swift cannot call.
static inline int toolhost_inflate_init(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}
#endif
