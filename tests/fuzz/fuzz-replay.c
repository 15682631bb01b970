/*
 * fuzz-replay.c — runs the fuzz targets over a corpus without libFuzzer,
 * so that every input ever found interesting stays a regression test (a
 * meson test in the 'fuzz' suite, and under ASan/UBSan in build-asan).
 *
 *   fuzz-replay CORPUS_DIR            each of every file of CORPUS_DIR/{frame,rpc,params}
 *   fuzz-replay TARGET FILE...        one target over the given files
 *
 * Prints TAP, one test per target. A broken invariant aborts (g_error),
 * which fails the test with the name of the input printed just before.
 */
#include "kc-fuzz.h"

#include <stdio.h>
#include <string.h>

typedef int (*Target) (const guint8 *data, gsize size);

static const struct
{
  const char *name;
  Target fn;
} targets[] = {
  { "frame", kc_fuzz_frame },
  { "rpc", kc_fuzz_rpc },
  { "params", kc_fuzz_params },
};

static Target
find_target (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (targets); i++)
    if (g_str_equal (targets[i].name, name))
      return targets[i].fn;
  return NULL;
}

static gboolean
run_file (Target fn, const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      printf ("# %s\n", error->message);
      return FALSE;
    }
  /* Named first, so the input that aborts is the last one printed. */
  printf ("# %s\n", path);
  fflush (stdout);
  fn ((const guint8 *)contents, len);
  return TRUE;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

/* The files of @dir, sorted (so runs are reproducible). */
static GPtrArray *
list_files (const char *dir, GError **error)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, error);
  GPtrArray *files;
  const char *name;

  if (d == NULL)
    return NULL;
  files = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (d)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (files, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (files, compare_strings);
  return files;
}

int
main (int argc, char **argv)
{
  int failed = 0;

  if (argc >= 3)
    {
      Target fn = find_target (argv[1]);
      if (fn == NULL)
        {
          fprintf (stderr, "unknown target %s (frame, rpc, params)\n", argv[1]);
          return 2;
        }
      for (int i = 2; i < argc; i++)
        if (!run_file (fn, argv[i]))
          failed++;
      return failed ? 1 : 0;
    }
  if (argc != 2)
    {
      fprintf (stderr, "usage: %s CORPUS_DIR | %s TARGET FILE...\n", argv[0], argv[0]);
      return 2;
    }

  printf ("1..%u\n", (guint)G_N_ELEMENTS (targets));
  for (gsize t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_autofree char *dir = g_build_filename (argv[1], targets[t].name, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) files = list_files (dir, &error);
      guint ok = 0;

      if (files == NULL)
        {
          printf ("not ok %u - %s # %s\n", (guint)t + 1, targets[t].name, error->message);
          failed++;
          continue;
        }
      for (guint i = 0; i < files->len; i++)
        if (run_file (targets[t].fn, g_ptr_array_index (files, i)))
          ok++;
      /* An empty corpus proves nothing: that is a failure too. */
      if (ok == files->len && ok > 0)
        printf ("ok %u - %s: %u inputs\n", (guint)t + 1, targets[t].name, ok);
      else
        {
          printf ("not ok %u - %s: %u of %u inputs read\n", (guint)t + 1, targets[t].name, ok,
                  files->len);
          failed++;
        }
    }
  return failed ? 1 : 0;
}
