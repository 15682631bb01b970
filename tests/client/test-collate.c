/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-collate.c — Vietnamese order of kc-collate (the built-in key, which
 * does not depend on the locales installed) and search folding.
 */
#include <glib.h>

#include "kc-collate.h"

static int
compare_folded (gconstpointer a, gconstpointer b)
{
  g_autofree char *ka = kc_collate_key_folded (*(const char *const *)a);
  g_autofree char *kb = kc_collate_key_folded (*(const char *const *)b);

  return g_strcmp0 (ka, kb);
}

static void
check_order (const char *const *expected, gsize n)
{
  g_autoptr (GPtrArray) shuffled = g_ptr_array_new ();

  for (gsize i = n; i > 0; i--) /* reversed */
    g_ptr_array_add (shuffled, (gpointer)expected[i - 1]);
  g_ptr_array_sort (shuffled, compare_folded);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpstr (g_ptr_array_index (shuffled, i), ==, expected[i]);
}

static void
test_letters (void)
{
  const char *expected[]
      = { "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "o", "ô", "ơ", "u", "ư", "y" };

  check_order (expected, G_N_ELEMENTS (expected));
}

static void
test_tones (void)
{
  /* none, huyền, hỏi, ngã, sắc, nặng — tones come after the letters. */
  const char *expected[] = { "ma", "mà", "mả", "mã", "má", "mạ", "mac" };

  check_order (expected, G_N_ELEMENTS (expected));
}

static void
test_names (void)
{
  const char *expected[]
      = { "An Giang", "Bắc Ninh", "Cà Mau",    "Cao Bằng",  "Cần Thơ", "Điện Biên",
          "Đồng Nai", "Hà Nội",   "Hà Tĩnh",   "Hải Phòng", "Huế",     "Hưng Yên",
          "Ơn",       "Tây Ninh", "Thanh Hóa", "Ưng" };

  check_order (expected, G_N_ELEMENTS (expected));
}

static void
test_prefix_and_case (void)
{
  const char *expected[] = { "An", "an giang", "An Giang", "Anh" };

  check_order (expected, G_N_ELEMENTS (expected));
}

static void
test_fold (void)
{
  g_autofree char *a = kc_fold_for_search ("Thành phố Hà Nội");
  g_autofree char *b = kc_fold_for_search ("ĐẮK LẮK");

  g_assert_cmpstr (a, ==, "thanh pho ha noi");
  g_assert_cmpstr (b, ==, "dak lak");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/collate/letters", test_letters);
  g_test_add_func ("/collate/tones", test_tones);
  g_test_add_func ("/collate/names", test_names);
  g_test_add_func ("/collate/prefix-and-case", test_prefix_and_case);
  g_test_add_func ("/collate/fold", test_fold);
  return g_test_run ();
}
