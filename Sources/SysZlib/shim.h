#ifndef CONTACTS_SYSZLIB_SHIM_H
#define CONTACTS_SYSZLIB_SHIM_H
#include <zlib.h>

/* inflateInit2 is a macro Swift cannot import. */
static inline int syszlib_inflate_init_raw(z_stream *s) { return inflateInit2(s, -15); }
static inline int syszlib_inflate_init2(z_stream *s, int windowBits) { return inflateInit2(s, windowBits); }
#endif
