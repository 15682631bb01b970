/*
 * kc-collate.h — sort keys that order Vietnamese as Vietnamese sorts it:
 * a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, letters first,
 * then tones (none, huyền, hỏi, ngã, sắc, nặng), then case.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A key to compare with strcmp() (transfer full). Uses the vi_VN.UTF-8
 * collation of the C library when it is installed, else kc_collate_key_folded(). */
char *kc_collate_key (const char *text);

/* The built-in key, whatever the installed locales. */
char *kc_collate_key_folded (const char *text);

/* Lower case without diacritics, "đ" as "d": for searching ("ha noi"
 * finds "Hà Nội") (transfer full). */
char *kc_fold_for_search (const char *text);

G_END_DECLS
