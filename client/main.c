/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * main.c — kc-client: i18n set-up, then the application.
 *
 * Vietnamese unless the environment asks for English. KC_LOCALEDIR points
 * gettext at another catalogue tree (the build's po/ directory in tests).
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

int
main (int argc, char *argv[])
{
  g_autoptr (KcApplication) app = NULL;
  const char *localedir = g_getenv ("KC_LOCALEDIR");
  const char *messages;

  if (!environment_wants_english ())
    g_setenv ("LANGUAGE", "vi", TRUE);
  setlocale (LC_ALL, "");
  /* gettext ignores LANGUAGE under the "C" locale: use C.UTF-8 then. */
  messages = setlocale (LC_MESSAGES, NULL);
  if (messages == NULL || g_str_equal (messages, "C") || g_str_equal (messages, "POSIX"))
    setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && localedir[0] ? localedir : KC_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = kc_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
