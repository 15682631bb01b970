/*
 * kc-ask.h — a small modal form for the few values an act needs (a
 * comment, an amount and a date, a decision number), each entry named for
 * assistive technologies by its label. It never runs a nested main loop:
 * the answer comes to a callback.
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* @answers: the stripped answers in the order of the labels (borrowed). */
typedef void (*KcAskFunc) (GObject *owner, GStrv answers, gpointer data);

/* @labels: NULL-terminated; @defaults: as many entries, each nullable, or
 * NULL. On acceptance calls @done (@owner, answers, @data) unless @owner
 * is gone by then; @data is freed with @destroy (nullable) in any case. */
void kc_ask (GtkWindow *parent, const char *title, const char *accept, const char *const *labels,
             const char *const *defaults, GObject *owner, KcAskFunc done, gpointer data,
             GDestroyNotify destroy);

/* @decision: {number, date (ISO), signer}; the form stays open until the
 * answers make one. (transfer none) */
typedef void (*KcDecisionFunc) (GObject *owner, JsonObject *decision, gpointer data);

/* Asks for the decision a change is made by (issue 13: caps and approved
 * programmes change only through one): its number, the day it was signed
 * and who signed it. Then as kc_ask. */
void kc_ask_decision (GtkWindow *parent, const char *title, GObject *owner, KcDecisionFunc done,
                      gpointer data, GDestroyNotify destroy);

/* Looks at the answers before the form closes: NULL to accept them, else
 * the sentence saying what is wrong (transfer full), shown in the form,
 * which stays open with everything typed kept. */
typedef char *(*KcAskCheck) (GStrv answers, gpointer data);

/* kc_ask with a @check (nullable) and, where @multiline[i] (nullable) is
 * TRUE, a text area of several lines instead of a one-line entry (a
 * request, an answer, a reason). */
void kc_ask_full (GtkWindow *parent, const char *title, const char *accept,
                  const char *const *labels, const char *const *defaults, const gboolean *multiline,
                  KcAskCheck check, GObject *owner, KcAskFunc done, gpointer data,
                  GDestroyNotify destroy);

G_END_DECLS
