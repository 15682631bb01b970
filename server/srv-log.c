/*
 * srv-log.c — stderr logging, one line per event, safe from any thread
 * (a single fputs of a preformatted line is atomic enough for stderr,
 * which is unbuffered, but we still lock to keep lines whole).
 */
#include "srv-log.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static SrvLogLevel min_level = SRV_LOG_INFO;
static GMutex log_lock;

static const char *const level_names[] = { "DEBUG", "LOG", "WARNING", "ERROR" };
/* syslog priorities: debug, info, warning, err */
static const char *const journal_prefixes[] = { "<7>", "<6>", "<4>", "<3>" };

/* Under systemd, stderr is a stream to the journal, which says so in
 * $JOURNAL_STREAM ("device:inode" of that stream). A line starting with
 * "<N>" then carries its priority, so `journalctl -p warning` shows the
 * warnings and errors only. Anywhere else the lines stay as they were. */
static gboolean
stderr_is_journal (void)
{
  static gsize checked;
  static gboolean journal;

  if (g_once_init_enter (&checked))
    {
      const char *stream = g_getenv ("JOURNAL_STREAM");
      struct stat st;
      guint64 dev, ino;

      if (stream != NULL
          && sscanf (stream, "%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT, &dev, &ino) == 2
          && fstat (STDERR_FILENO, &st) == 0)
        journal = (guint64)st.st_dev == dev && (guint64)st.st_ino == ino;
      g_once_init_leave (&checked, 1);
    }
  return journal;
}

void
srv_log_set_level (SrvLogLevel level)
{
  min_level = level;
}

void
srv_log (SrvLogLevel level, guint64 conn_id, const char *peer, const char *request_id,
         const char *format, ...)
{
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *message = NULL;
  GString *line;
  va_list args;

  if (level < min_level)
    return;

  now = g_date_time_new_now_utc ();
  stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
  /* %f gives microseconds; milliseconds are enough to read a log. */
  if (stamp != NULL && strlen (stamp) > 24)
    {
      stamp[23] = 'Z';
      stamp[24] = '\0';
    }

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  line = g_string_new (stderr_is_journal () ? journal_prefixes[level] : "");
  if (stamp != NULL)
    g_string_append (line, stamp);
  g_string_append_printf (line, " %-7s", level_names[level]);
  if (conn_id != 0)
    g_string_append_printf (line, " conn=%" G_GUINT64_FORMAT, conn_id);
  if (peer != NULL)
    g_string_append_printf (line, " peer=%s", peer);
  if (request_id != NULL)
    g_string_append_printf (line, " req=%s", request_id);
  g_string_append (line, ": ");
  g_string_append (line, message);
  /* A message must never span two lines: a newline in a peer-provided
   * string would let a client forge log entries. */
  for (gsize i = 0; i < line->len; i++)
    if (line->str[i] == '\n' || line->str[i] == '\r')
      line->str[i] = ' ';
  g_string_append_c (line, '\n');

  g_mutex_lock (&log_lock);
  fputs (line->str, stderr);
  fflush (stderr);
  g_mutex_unlock (&log_lock);
  g_string_free (line, TRUE);
}
