/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-collate.c — Vietnamese sort keys (see kc-collate.h).
 */
#include "kc-collate.h"

#include <locale.h>
#include <string.h>

/* Helpers */

/* Splits @c into an ASCII base letter, a letter modifier rank (ă/â, ê, ô/ơ,
 * ư, đ) and a tone rank. Returns FALSE for anything that is not a Latin letter. */
static gboolean
split_letter (gunichar c, char *base, int *modifier, int *tone, gboolean *upper)
{
  gunichar parts[8];
  gsize n;

  *modifier = 0;
  *tone = 0;
  *upper = g_unichar_isupper (c);
  c = g_unichar_tolower (c);
  if (c == 0x0111) /* đ */
    {
      *base = 'd';
      *modifier = 1;
      return TRUE;
    }
  n = g_unichar_fully_decompose (c, FALSE, parts, G_N_ELEMENTS (parts));
  if (n == 0 || parts[0] >= 0x80 || !g_ascii_isalpha ((char)parts[0]))
    return FALSE;
  *base = (char)parts[0];
  for (gsize i = 1; i < n; i++)
    switch (parts[i])
      {
        case 0x0306: /* breve: ă */
          *modifier = 1;
          break;
        case 0x0302: /* circumflex: â ê ô */
          *modifier = *base == 'a' ? 2 : 1;
          break;
        case 0x031B: /* horn: ơ ư */
          *modifier = *base == 'o' ? 2 : 1;
          break;
        case 0x0300: /* huyền */
          *tone = 1;
          break;
        case 0x0309: /* hỏi */
          *tone = 2;
          break;
        case 0x0303: /* ngã */
          *tone = 3;
          break;
        case 0x0301: /* sắc */
          *tone = 4;
          break;
        case 0x0323: /* nặng */
          *tone = 5;
          break;
        default:
          break;
      }
  return TRUE;
}

static locale_t
vietnamese_locale (void)
{
  static gsize initialised = 0;
  static locale_t vi = (locale_t)0;

  if (g_once_init_enter (&initialised))
    {
      const char *names[] = { "vi_VN.UTF-8", "vi_VN.utf8" };

      if (g_getenv ("KC_COLLATE_BUILTIN") == NULL)
        for (gsize i = 0; i < G_N_ELEMENTS (names) && vi == (locale_t)0; i++)
          vi = newlocale (LC_COLLATE_MASK | LC_CTYPE_MASK, names[i], (locale_t)0);
      g_once_init_leave (&initialised, 1);
    }
  return vi;
}

/* Public API */

char *
kc_collate_key_folded (const char *text)
{
  GString *primary = g_string_new (NULL);
  GString *secondary = g_string_new (NULL);
  GString *tertiary = g_string_new (NULL);

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      char base;
      int modifier, tone;
      gboolean upper;

      if (c == (gunichar)-1 || c == (gunichar)-2)
        break;
      if (split_letter (c, &base, &modifier, &tone, &upper))
        {
          /* 3 ranks per letter, after spaces, punctuation and digits. */
          g_string_append_c (primary, (char)(0x40 + (base - 'a') * 3 + modifier));
          g_string_append_c (secondary, (char)('0' + tone));
          g_string_append_c (tertiary, upper ? '1' : '0');
        }
      else if (g_unichar_isspace (c))
        g_string_append_c (primary, 0x02);
      else if (g_unichar_isdigit (c))
        g_string_append_c (primary, (char)(0x10 + g_unichar_digit_value (c)));
      else if (c < 0x80)
        g_string_append_c (primary, (char)(0x20 + (c & 0x1F)));
      else
        {
          /* Other scripts: after every Latin letter, in code point order. */
          char utf8[8];
          int len = g_unichar_to_utf8 (c, utf8);

          g_string_append_len (primary, utf8, len);
        }
    }
  /* Level separator: below every byte of a primary key. */
  g_string_append_c (primary, '\x01');
  g_string_append (primary, secondary->str);
  g_string_append_c (primary, '\x01');
  g_string_append (primary, tertiary->str);
  g_string_free (secondary, TRUE);
  g_string_free (tertiary, TRUE);
  return g_string_free (primary, FALSE);
}

char *
kc_collate_key (const char *text)
{
  locale_t vi = vietnamese_locale ();
  size_t needed;
  char *key;

  g_return_val_if_fail (text != NULL, NULL);

  if (vi == (locale_t)0)
    return kc_collate_key_folded (text);
  needed = strxfrm_l (NULL, text, 0, vi) + 1;
  key = g_malloc (needed);
  strxfrm_l (key, text, needed, vi);
  return key;
}

char *
kc_fold_for_search (const char *text)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      char base;
      int modifier, tone;
      gboolean upper;

      if (c == (gunichar)-1 || c == (gunichar)-2)
        break;
      if (split_letter (c, &base, &modifier, &tone, &upper))
        g_string_append_c (out, base);
      else
        g_string_append_unichar (out, g_unichar_tolower (c));
    }
  return g_string_free (out, FALSE);
}
