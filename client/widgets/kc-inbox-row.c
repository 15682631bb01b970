/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-inbox-row.c — KcInboxRow (see its header).
 */
#include "kc-inbox-row.h"

#include <glib/gi18n.h>

#include "kc-json.h"
#include "kc-labels.h"

struct _KcInboxRow
{
  GtkListBoxRow parent_instance;

  char *ref_type;
  gint64 ref_id;
  gint64 project_id;
  gint64 plan_id;
  char *title;
};

G_DEFINE_TYPE (KcInboxRow, kc_inbox_row, GTK_TYPE_LIST_BOX_ROW)

/* Helpers */

typedef struct
{
  const char *kind;
  const char *label;
} KindName;

const char *
kc_inbox_kind_label (const char *kind)
{
  static const KindName names[] = {
    { "plan_returned", N_ ("Plan sent back") },
    { "project_revision", N_ ("Project to revise") },
    { "registration_due", N_ ("Next year's plan to register") },
    { "plan_to_appraise", N_ ("Plan to appraise") },
    { "progress_due", N_ ("Progress report due") },
    { "progress_to_confirm", N_ ("Progress report to confirm") },
    { "progress_returned", N_ ("Progress report returned: report again") },
    { "adjustment_to_decide", N_ ("Adjustment to decide") },
    { "acceptance_due", N_ ("Acceptance due") },
    { "acceptance_to_review", N_ ("Acceptance dossier to review") },
    { "settlement_dossier_due", N_ ("Settlement dossier due") },
    { "settlement_due", N_ ("Project to settle") },
    { "province_report_due", N_ ("Province report due") },
    { "correspondence_answered", N_ ("Request answered") },
    { "correspondence_to_answer", N_ ("Request to answer") },
    { "review_to_assign", N_ ("Project awaiting a reviewer") },
    { "review_to_score", N_ ("Project to score") },
    { "review_to_decide", N_ ("Project to decide") },
    { "plan_decision_due", N_ ("Plan decision to issue") },
    { "round_report_due", N_ ("Round report to send") },
    { "round_report_to_review", N_ ("Round report to review") },
    { "allocation_due", N_ ("Project awaiting its allocation") },
    { "refund_due", N_ ("Refund owed by a cancelled project") },
  };

  for (gsize i = 0; kind != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i].kind, kind))
      return _ (names[i].label);
  return NULL;
}

/* "2026-03-20" → "20/03/2026" (transfer full; NULL when not a date). */
static char *
date_text (const char *iso)
{
  int y, m, d;

  if (iso == NULL || sscanf (iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
    return NULL;
  return g_strdup_printf ("%02d/%02d/%04d", d, m, y);
}

/* An RFC 3339 instant in local time, "20/03/2026 14:05" (transfer full). */
static char *
instant_text (const char *text)
{
  g_autoptr (GDateTime) at = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
  g_autoptr (GDateTime) local = at != NULL ? g_date_time_to_local (at) : NULL;

  return local != NULL ? g_date_time_format (local, "%d/%m/%Y %H:%M") : NULL;
}

static GtkWidget *
new_label (const char *text, const char *style_class, gboolean expand)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, expand);
  if (expand)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (style_class != NULL)
    gtk_style_context_add_class (gtk_widget_get_style_context (label), style_class);
  return label;
}

static void
on_button_clicked_cb (KcInboxRow *self)
{
  g_signal_emit_by_name (self, "activate");
}

/* The row's content: a flat button with the title and the kind on the
 * left, the due date and the markers on the right. */
static void
build (KcInboxRow *self, const char *kind, const char *place, const char *due, const char *marker,
       const char *marker_class)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *grid = gtk_grid_new ();
  g_autofree char *description = NULL;
  g_autoptr (GPtrArray) parts = NULL;

  gtk_button_set_relief (GTK_BUTTON (button), GTK_RELIEF_NONE);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
  gtk_grid_attach (GTK_GRID (grid), new_label (self->title, "kc-total", TRUE), 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), new_label (kind, "dim-label", TRUE), 0, 1, 1, 1);
  if (due != NULL)
    gtk_grid_attach (GTK_GRID (grid), new_label (due, NULL, FALSE), 1, 0, 1, 1);
  if (place != NULL)
    gtk_grid_attach (GTK_GRID (grid), new_label (place, "dim-label", FALSE), 1, 1, 2, 1);
  if (marker != NULL)
    gtk_grid_attach (GTK_GRID (grid), new_label (marker, marker_class, FALSE), 2, 0, 1, 1);
  gtk_container_add (GTK_CONTAINER (button), grid);
  gtk_widget_show_all (button);
  gtk_container_add (GTK_CONTAINER (self), button);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), TRUE);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_button_clicked_cb), self);

  /* A screen reader hears the title, then what it is and when it is due. */
  atk_object_set_name (gtk_widget_get_accessible (button), self->title);
  parts = g_ptr_array_new ();
  g_ptr_array_add (parts, (gpointer)kind);
  if (due != NULL)
    g_ptr_array_add (parts, (gpointer)due);
  if (place != NULL)
    g_ptr_array_add (parts, (gpointer)place);
  if (marker != NULL)
    g_ptr_array_add (parts, (gpointer)marker);
  g_ptr_array_add (parts, NULL);
  description = g_strjoinv (" — ", (char **)parts->pdata);
  atk_object_set_description (gtk_widget_get_accessible (button), description);
  gtk_widget_set_tooltip_text (button, _ ("Open it (Enter)"));
}

/* GObject overrides */

static void
kc_inbox_row_finalize (GObject *object)
{
  KcInboxRow *self = KC_INBOX_ROW (object);

  g_free (self->ref_type);
  g_free (self->title);
  G_OBJECT_CLASS (kc_inbox_row_parent_class)->finalize (object);
}

static void
kc_inbox_row_class_init (KcInboxRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kc_inbox_row_finalize;
}

static void
kc_inbox_row_init (KcInboxRow *self)
{
  self->ref_type = g_strdup ("");
}

/* Public API */

char *
kc_inbox_item_title (JsonObject *item)
{
  JsonObject *ref = kc_json_object (item, "ref");
  const char *title = kc_json_string (item, "title");
  const char *code = kc_json_string (item, "code");

  if (code != NULL && title != NULL)
    return g_strdup_printf ("%s — %s", code, title);
  if (title != NULL)
    return g_strdup (title);
  /* A plan without a title: named from its year and scope (detail), as
   * everywhere else (kc_label_plan_name). */
  if (ref != NULL && g_strcmp0 (kc_json_string (ref, "type"), "plan") == 0)
    {
      JsonObject *detail = kc_json_object (item, "detail");

      return kc_label_plan_name (NULL, kc_json_int (detail, "year"),
                                 kc_json_string (detail, "scope"));
    }
  return g_strdup (code != NULL ? code : "");
}

GtkWidget *
kc_inbox_row_new_item (JsonObject *item)
{
  KcInboxRow *self = g_object_new (KC_TYPE_INBOX_ROW, NULL);
  JsonObject *ref = kc_json_object (item, "ref");
  const char *kind = kc_json_string (item, "kind");
  const char *kind_label = kc_inbox_kind_label (kind);
  const char *org = kc_json_string (item, "org_name");
  g_autofree char *due_date = date_text (kc_json_string (item, "due_on"));
  g_autofree char *due = NULL;
  g_autofree char *marker = NULL;
  const char *marker_class = NULL;

  g_free (self->ref_type);
  self->ref_type = g_strdup (
      ref != NULL && kc_json_string (ref, "type") != NULL ? kc_json_string (ref, "type") : "");
  self->ref_id = kc_json_int (ref, "id");
  self->project_id = kc_json_int (item, "project_id");
  self->plan_id = kc_json_int (item, "plan_id");
  self->title = kc_inbox_item_title (item);
  if (kind_label == NULL)
    kind_label
        = kc_json_string (item, "kind_name") != NULL ? kc_json_string (item, "kind_name") : "";
  /* TRANSLATORS: the day a home-page item is due by, dd/mm/yyyy */
  if (due_date != NULL)
    due = g_strdup_printf (_ ("Due %s"), due_date);
  if (json_object_get_boolean_member_with_default (item, "overdue", FALSE))
    {
      gint64 days = kc_json_int (item, "days_late");

      marker = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "Late by %d day", "Late by %d days", (gulong)days),
          (int)days);
      marker_class = "kc-late";
    }
  else if (json_object_get_boolean_member_with_default (item, "sent_back", FALSE))
    {
      marker = g_strdup (_ ("Sent back"));
      marker_class = "kc-warning";
    }
  else if (json_object_get_boolean_member_with_default (item, "new", FALSE))
    {
      marker = g_strdup (_ ("New"));
      marker_class = "kc-new";
    }
  build (self, kind_label, org, due, marker, marker_class);
  return GTK_WIDGET (self);
}

GtkWidget *
kc_inbox_row_new_change (JsonObject *change)
{
  KcInboxRow *self = g_object_new (KC_TYPE_INBOX_ROW, NULL);
  JsonObject *ref = kc_json_object (change, "ref");
  const char *type = ref != NULL ? kc_json_string (ref, "type") : NULL;
  const char *code = kc_json_string (change, "code");
  const char *title = kc_json_string (change, "title");
  const char *from = kc_json_string (change, "from_status");
  const char *to = kc_json_string (change, "to_status");
  gboolean plan = g_strcmp0 (type, "plan") == 0;
  g_autofree char *kind = NULL;
  g_autofree char *when = instant_text (kc_json_string (change, "at"));

  g_free (self->ref_type);
  self->ref_type = g_strdup (type != NULL ? type : "");
  self->ref_id = kc_json_int (ref, "id");
  if (plan)
    self->plan_id = self->ref_id;
  else
    self->project_id = self->ref_id;
  if (code != NULL && title != NULL)
    self->title = g_strdup_printf ("%s — %s", code, title);
  else if (title != NULL)
    self->title = g_strdup (title);
  else if (plan)
    /* a plan without a title: its year and scope (sql/0054) */
    self->title
        = kc_label_plan_name (NULL, kc_json_int (change, "year"), kc_json_string (change, "scope"));
  else
    self->title = g_strdup_printf (_ ("Project no. %d"), (int)self->ref_id);
  if (from == NULL)
    /* TRANSLATORS: a record created since the last look, with its status */
    kind = g_strdup_printf (_ ("Created: %s"), to == NULL ? "—"
                                               : plan     ? kc_label_plan_status (to)
                                                          : kc_label_project_status (to));
  else
    /* TRANSLATORS: a status change, e.g. "Dự thảo → Đã gửi" */
    kind = g_strdup_printf (_ ("%s → %s"),
                            plan ? kc_label_plan_status (from) : kc_label_project_status (from),
                            to == NULL ? "—"
                            : plan     ? kc_label_plan_status (to)
                                       : kc_label_project_status (to));
  build (self, kind, NULL, when, NULL, NULL);
  return GTK_WIDGET (self);
}

const char *
kc_inbox_row_get_ref_type (KcInboxRow *self)
{
  g_return_val_if_fail (KC_IS_INBOX_ROW (self), "");
  return self->ref_type;
}

gint64
kc_inbox_row_get_ref_id (KcInboxRow *self)
{
  g_return_val_if_fail (KC_IS_INBOX_ROW (self), 0);
  return self->ref_id;
}

gint64
kc_inbox_row_get_project_id (KcInboxRow *self)
{
  g_return_val_if_fail (KC_IS_INBOX_ROW (self), 0);
  return self->project_id;
}

gint64
kc_inbox_row_get_plan_id (KcInboxRow *self)
{
  g_return_val_if_fail (KC_IS_INBOX_ROW (self), 0);
  return self->plan_id;
}

const char *
kc_inbox_row_get_title (KcInboxRow *self)
{
  g_return_val_if_fail (KC_IS_INBOX_ROW (self), "");
  return self->title;
}
