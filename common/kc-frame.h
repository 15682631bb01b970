/*
 * kc-frame.h — incremental reader of the line framing of PROTOCOL.md:
 * one compact UTF-8 JSON message per line, '\n' terminated, blank lines
 * ignored, a hard maximum line length.
 *
 * Pure: no sockets, no main loop. The reader owns the bytes fed to it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _KcFrameReader KcFrameReader;

typedef enum
{
  KC_FRAME_NEED_MORE, /* no complete line buffered yet */
  KC_FRAME_LINE,      /* a line was returned */
  KC_FRAME_TOO_LONG,  /* a line exceeds max_line; the reader is unusable afterwards */
} KcFrameStatus;

/* @max_line: the longest accepted line in bytes, without its '\n'. */
KcFrameReader *kc_frame_reader_new (gsize max_line);
void kc_frame_reader_free (KcFrameReader *reader);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KcFrameReader, kc_frame_reader_free)

/* Changes the limit (e.g. larger once a connection has logged in). */
void kc_frame_reader_set_max_line (KcFrameReader *reader, gsize max_line);

/* Copies @len bytes into the reader's buffer. */
void kc_frame_reader_feed (KcFrameReader *reader, const char *data, gsize len);

/*
 * Returns the next complete non-blank line, without its '\n' (a trailing
 * '\r' is also removed). On KC_FRAME_LINE, *@line is (transfer full),
 * NUL-terminated, and *@len its length in bytes (it may contain NUL bytes;
 * the JSON parser rejects them). Blank lines (empty or only spaces, tabs,
 * '\r') are skipped. KC_FRAME_TOO_LONG is returned as soon as more than
 * max_line bytes are buffered without a '\n', so memory stays bounded.
 */
KcFrameStatus kc_frame_reader_next (KcFrameReader *reader, char **line, gsize *len);

/* TRUE if bytes of a started but unfinished line are buffered. */
gboolean kc_frame_reader_has_partial (KcFrameReader *reader);

/* Bytes currently buffered. */
gsize kc_frame_reader_buffered (KcFrameReader *reader);

/* After KC_FRAME_NEED_MORE: the start of the line still arriving (borrowed,
 * valid until the next call on @reader; not NUL-terminated), its length
 * so far in *@len. */
const char *kc_frame_reader_peek_partial (KcFrameReader *reader, gsize *len);

/* After KC_FRAME_NEED_MORE: drops the line still arriving, and every byte
 * fed until its '\n', so that a line refused early is never buffered
 * whole; the lines after it are read as usual. */
void kc_frame_reader_skip_partial (KcFrameReader *reader);

G_END_DECLS
