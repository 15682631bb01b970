/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * main.c — kc-client: i18n set-up, then the application.
 *
 * Vietnamese unless the environment asks for English. KC_LOCALEDIR points
 * gettext at another catalogue tree (the build's po/ directory in tests);
 * run from a build tree (scripts/demo), the build's own po/ is used when
 * the installed tree has no catalogue, so the demo is Vietnamese too.
 */
#include <glib/gi18n.h>
#include <locale.h>

#include "kc-application.h"

#ifndef KC_LOCALEDIR
#define KC_LOCALEDIR "/usr/share/locale"
#endif

static gboolean
environment_wants_english (void)
{
  const char *names[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = g_getenv (names[i]);

      if (value != NULL && value[0] != '\0')
        return g_str_has_prefix (value, "en");
    }
  return FALSE;
}

/* The catalogue tree: KC_LOCALEDIR, else the installed one if it has our
 * Vietnamese catalogue, else the build tree's po/ beside client/ (the
 * binary is build/client/kc-client, the catalogues build/po/vi/...). */
static char *
find_localedir (void)
{
  const char *env = g_getenv ("KC_LOCALEDIR");
  g_autofree char *installed
      = g_build_filename (KC_LOCALEDIR, "vi", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *exe_dir = NULL;
  g_autofree char *build_po = NULL;
  g_autofree char *built = NULL;

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  if (g_file_test (installed, G_FILE_TEST_EXISTS) || exe == NULL)
    return g_strdup (KC_LOCALEDIR);
  exe_dir = g_path_get_dirname (exe);
  build_po = g_build_filename (exe_dir, "..", "po", NULL);
  built = g_build_filename (build_po, "vi", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  return g_file_test (built, G_FILE_TEST_EXISTS) ? g_steal_pointer (&build_po)
                                                 : g_strdup (KC_LOCALEDIR);
}

int
main (int argc, char *argv[])
{
  g_autoptr (KcApplication) app = NULL;
  g_autofree char *localedir = find_localedir ();
  const char *messages;

  if (!environment_wants_english ())
    g_setenv ("LANGUAGE", "vi", TRUE);
  setlocale (LC_ALL, "");
  /* gettext ignores LANGUAGE under the "C" locale: use C.UTF-8 then. */
  messages = setlocale (LC_MESSAGES, NULL);
  if (messages == NULL || g_str_equal (messages, "C") || g_str_equal (messages, "POSIX"))
    setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = kc_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
