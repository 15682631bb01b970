/*
 * kc-fuzz.h — the fuzz targets of tests/fuzz/. Each takes one input of any
 * bytes, never fails on its own, and aborts (g_error) only when an
 * invariant of the code under test breaks, so that libFuzzer, ASan/UBSan
 * and the plain replay driver all see the same entry points.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* common/kc-frame: the input is cut into chunks and fed to a reader; the
 * lines it returns are compared with a one-shot reference splitter. */
int kc_fuzz_frame (const guint8 *data, gsize size);

/* common/kc-rpc: the input is one line parsed as a request and as a
 * response; what parses is rebuilt, compacted and parsed again. */
int kc_fuzz_rpc (const guint8 *data, gsize size);

/* server parameter validation: the input is one request line; a known
 * method's handler runs with a fake session against a database that
 * refuses every statement, and its answer is built and parsed back. */
int kc_fuzz_params (const guint8 *data, gsize size);

G_END_DECLS

/* Under libFuzzer each target is its own program. */
#define KC_FUZZ_ENTRY(fn)                                                                          \
  int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);                                    \
  int LLVMFuzzerTestOneInput (const guint8 *data, size_t size) { return fn (data, size); }
