// Typed wrappers for zlib's init macros, which Swift cannot call. Wrappers only: no logic lives here.
#ifndef XUELIANG_CZLIB_SHIM_H
#define XUELIANG_CZLIB_SHIM_H

#include <zlib.h>

// Raw DEFLATE (no zlib header or trailer), as ZIP entries hold it: a negative window of 2^15 bytes.
static inline int xl_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -15);
}
static inline int xl_deflate_init_raw(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
}

#endif
