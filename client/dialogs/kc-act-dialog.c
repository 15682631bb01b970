/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-act-dialog.c — the form of one act: fields checked as they are typed,
 * limits shown before they are reached, one question before sending, the
 * server's refusal marked on its fields with everything typed kept.
 */
#include "kc-act-dialog.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kc-date.h"
#include "kc-error.h"
#include "kc-errors.h"
#include "kc-file-list.h"
#include "kc-money.h"
#include "kc-window.h"

typedef enum
{
  FIELD_TEXT,
  FIELD_LONG_TEXT,
  FIELD_MONEY,
  FIELD_NUMBER,
  FIELD_DATE,
  FIELD_MONTH,
  FIELD_CHOICE,
  FIELD_CHECKLIST,
} FieldKind;

typedef struct
{
  char *key;
  char *label;
  FieldKind kind;
  GtkWidget *widget; /* GtkEntry, GtkTextView or GtkComboBoxText */
  GtkLabel *hint;    /* (nullable) the limit or example, always shown */
  GtkLabel *error;   /* the mistake, hidden while none */
  char *hint_text;
  gboolean required;
  gboolean not_future;
  gint64 min, max;
  char *server_error; /* the server's complaint, until the field changes */
  char *text;         /* the stripped value, kept for the getters */
  GStrv ids;          /* a checklist's ids, in the order of its boxes */
} Field;

struct _KcActDialog
{
  GtkDialog parent_instance;

  GtkLabel *intro_label;
  GtkGrid *grid;
  GtkLabel *error_label;
  GtkSpinner *spinner;
  GtkButton *accept_button;
  GtkButton *cancel_button;

  KcSession *session;
  GCancellable *cancellable;
  GPtrArray *fields; /* Field */
  int rows;
  gboolean busy;

  KcCallFunc method;
  KcActBuildFunc build;
  KcActTextFunc confirm;
  KcActTextFunc done;
  KcActFinishedFunc finished;
  gpointer data;
  GDestroyNotify destroy;

  /* kc_act_dialog_upload_after() */
  KcFileList *upload_files;
  char *upload_owner_type;
  char *upload_id_member;
  gint64 upload_owner_id;
  char *done_text;    /* the done sentence, while the files go */
  gboolean uploading; /* the act done, its files going */
};

G_DEFINE_TYPE (KcActDialog, kc_act_dialog, GTK_TYPE_DIALOG)

static void
field_free (gpointer p)
{
  Field *f = p;

  g_free (f->key);
  g_free (f->label);
  g_free (f->hint_text);
  g_free (f->server_error);
  g_free (f->text);
  g_strfreev (f->ids);
  g_free (f);
}

static Field *
find_field (KcActDialog *self, const char *key)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *f = self->fields->pdata[i];

      if (g_str_equal (f->key, key))
        return f;
    }
  return NULL;
}

static char *
field_raw_text (Field *f)
{
  if (f->kind == FIELD_LONG_TEXT)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (f->widget));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }
  if (f->kind == FIELD_CHOICE)
    return g_strdup (gtk_combo_box_get_active_id (GTK_COMBO_BOX (f->widget)));
  if (f->kind == FIELD_CHECKLIST)
    {
      g_autoptr (GList) boxes = gtk_container_get_children (GTK_CONTAINER (f->widget));
      guint n = 0;

      for (GList *l = boxes; l != NULL; l = l->next)
        if (gtk_toggle_button_get_active (l->data))
          n++;
      return n > 0 ? g_strdup_printf ("%u", n) : g_strdup ("");
    }
  return g_strdup (gtk_entry_get_text (GTK_ENTRY (f->widget)));
}

static gboolean
parse_month (const char *text, int *year, int *month)
{
  g_auto (GStrv) parts = g_strsplit (text, "/", -1);
  char *end;
  gint64 m, y;

  if (g_strv_length (parts) != 2)
    return FALSE;
  m = g_ascii_strtoll (parts[0], &end, 10);
  if (*parts[0] == '\0' || *end != '\0' || m < 1 || m > 12)
    return FALSE;
  y = g_ascii_strtoll (parts[1], &end, 10);
  if (strlen (parts[1]) != 4 || *end != '\0' || y < 2014 || y > 2100)
    return FALSE;
  *year = (int)y;
  *month = (int)m;
  return TRUE;
}

static gboolean
parse_number (const char *text, gint64 *out)
{
  char *end;

  if (*text == '\0')
    return FALSE;
  *out = g_ascii_strtoll (text, &end, 10);
  return *end == '\0';
}

/* What is wrong with the field as it stands (transfer full), or NULL. */
static char *
field_problem (Field *f)
{
  const char *text = f->text;
  gint64 n;

  if (f->server_error != NULL)
    return g_strdup (f->server_error);
  if (text == NULL || *text == '\0')
    {
      if (!f->required)
        return NULL;
      return g_strdup (f->kind == FIELD_CHECKLIST ? _ ("Choose at least one.") : _ ("Required."));
    }
  switch (f->kind)
    {
      case FIELD_MONEY:
        if (!kc_money_parse (text, &n, NULL))
          return g_strdup (_ ("Enter an amount in đồng, e.g. 1.234.567."));
        if (n < f->min)
          {
            g_autofree char *min = kc_money_format (f->min);
            return g_strdup_printf (_ ("At least %s."), min);
          }
        if (f->max >= 0 && n > f->max)
          {
            g_autofree char *max = kc_money_format (f->max);
            return g_strdup_printf (_ ("Above the limit: at most %s."), max);
          }
        return NULL;
      case FIELD_NUMBER:
        if (!parse_number (text, &n))
          return g_strdup (_ ("Enter a whole number."));
        if (n < f->min || (f->max >= 0 && n > f->max))
          {
            g_autofree char *min = g_strdup_printf ("%" G_GINT64_FORMAT, f->min);
            g_autofree char *max = g_strdup_printf ("%" G_GINT64_FORMAT, f->max);

            return f->max >= 0 ? g_strdup_printf (_ ("Between %s and %s."), min, max)
                               : g_strdup_printf (_ ("At least %s."), min);
          }
        return NULL;
      case FIELD_DATE:
        {
          GDate date;

          if (!kc_date_parse_vn (text, &date))
            return g_strdup (_ ("Enter a date as dd/mm/yyyy."));
          if (f->not_future)
            {
              GDate today;

              g_date_clear (&today, 1);
              g_date_set_time_t (&today, time (NULL));
              if (g_date_compare (&date, &today) > 0)
                return g_strdup (_ ("Not after today."));
            }
          return NULL;
        }
      case FIELD_MONTH:
        {
          int y, m;

          if (!parse_month (text, &y, &m))
            return g_strdup (_ ("Enter a month as mm/yyyy."));
          return NULL;
        }
      case FIELD_TEXT:
      case FIELD_LONG_TEXT:
      case FIELD_CHOICE:
      case FIELD_CHECKLIST:
      default:
        return NULL;
    }
}

static void
show_field (Field *f, const char *problem)
{
  GtkStyleContext *context = gtk_widget_get_style_context (f->widget);

  if (problem != NULL)
    {
      gtk_label_set_text (f->error, problem);
      gtk_widget_show (GTK_WIDGET (f->error));
      gtk_style_context_add_class (context, "kc-invalid");
      atk_object_set_description (gtk_widget_get_accessible (f->widget), problem);
    }
  else
    {
      gtk_label_set_text (f->error, "");
      gtk_widget_hide (GTK_WIDGET (f->error));
      gtk_style_context_remove_class (context, "kc-invalid");
      atk_object_set_description (gtk_widget_get_accessible (f->widget),
                                  f->hint_text != NULL ? f->hint_text : "");
    }
}

/* Checks every field; the act's button waits until all are right. A
 * field is only said to be wrong once something was typed in it or a
 * send was tried (@all), so that a new form does not start in red. */
static gboolean
validate (KcActDialog *self, gboolean all)
{
  gboolean ok = TRUE;

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *f = self->fields->pdata[i];
      g_autofree char *problem = field_problem (f);
      gboolean touched = all || (f->text != NULL && *f->text != '\0') || f->server_error != NULL;

      if (problem != NULL)
        ok = FALSE;
      show_field (f, touched ? problem : NULL);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->accept_button), ok && !self->busy);
  return ok;
}

static void
field_changed (KcActDialog *self, Field *f)
{
  g_free (f->text);
  f->text = field_raw_text (f);
  if (f->text != NULL)
    g_strstrip (f->text);
  g_clear_pointer (&f->server_error, g_free);
  validate (self, FALSE);
}

static void
on_entry_changed_cb (GtkEditable *editable, gpointer user_data)
{
  KcActDialog *self = KC_ACT_DIALOG (gtk_widget_get_toplevel (GTK_WIDGET (editable)));

  field_changed (self, user_data);
}

static void
on_buffer_changed_cb (GtkTextBuffer *buffer, gpointer user_data)
{
  Field *f = user_data;

  field_changed (KC_ACT_DIALOG (gtk_widget_get_toplevel (f->widget)), f);
}

static void
on_combo_changed_cb (GtkComboBox *combo, gpointer user_data)
{
  field_changed (KC_ACT_DIALOG (gtk_widget_get_toplevel (GTK_WIDGET (combo))), user_data);
}

/* A typed amount is written back as 1.234.567 once the field is left. */
static gboolean
on_money_focus_out_cb (GtkWidget *entry, GdkEvent *event, gpointer user_data)
{
  gint64 n;

  if (kc_money_parse (gtk_entry_get_text (GTK_ENTRY (entry)), &n, NULL))
    {
      g_autofree char *plain = kc_money_format_plain (n);

      if (g_strcmp0 (plain, gtk_entry_get_text (GTK_ENTRY (entry))) != 0)
        gtk_entry_set_text (GTK_ENTRY (entry), plain);
    }
  return GDK_EVENT_PROPAGATE;
}

static Field *
add_field (KcActDialog *self, const char *key, const char *label, FieldKind kind, GtkWidget *widget,
           const char *hint)
{
  Field *f = g_new0 (Field, 1);
  GtkWidget *name = gtk_label_new_with_mnemonic (label);
  GtkWidget *error = gtk_label_new (NULL);

  f->key = g_strdup (key);
  f->label = g_strdup (label);
  f->kind = kind;
  f->widget = widget;
  f->max = -1;
  f->hint_text = g_strdup (hint);
  f->error = GTK_LABEL (error);
  gtk_label_set_xalign (GTK_LABEL (name), 1);
  gtk_label_set_yalign (GTK_LABEL (name), kind == FIELD_LONG_TEXT ? 0 : 0.5f);
  gtk_label_set_mnemonic_widget (GTK_LABEL (name), widget);
  {
    g_autofree char *plain = g_strdup (label);
    char *w, *r;

    /* The accessible name without the mnemonic's underscore. */
    for (r = w = plain; *r != '\0'; r++)
      if (*r != '_')
        *w++ = *r;
    *w = '\0';
    atk_object_set_name (gtk_widget_get_accessible (widget), plain);
  }
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_grid_attach (self->grid, name, 0, self->rows, 1, 1);
  gtk_grid_attach (self->grid, widget, 1, self->rows++, 1, 1);
  if (hint != NULL)
    {
      GtkWidget *h = gtk_label_new (hint);

      gtk_label_set_xalign (GTK_LABEL (h), 0);
      gtk_label_set_line_wrap (GTK_LABEL (h), TRUE);
      gtk_style_context_add_class (gtk_widget_get_style_context (h), "dim-label");
      gtk_grid_attach (self->grid, h, 1, self->rows++, 1, 1);
      f->hint = GTK_LABEL (h);
      atk_object_set_description (gtk_widget_get_accessible (widget), hint);
    }
  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_label_set_line_wrap (GTK_LABEL (error), TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (error), "kc-field-error");
  gtk_widget_set_no_show_all (error, TRUE);
  gtk_grid_attach (self->grid, error, 1, self->rows++, 1, 1);
  gtk_widget_show_all (name);
  gtk_widget_show_all (widget);
  if (f->hint != NULL)
    gtk_widget_show (GTK_WIDGET (f->hint));
  g_ptr_array_add (self->fields, f);
  return f;
}

static GtkWidget *
new_entry (const char *initial)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_width_chars (GTK_ENTRY (entry), 30);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  if (initial != NULL)
    gtk_entry_set_text (GTK_ENTRY (entry), initial);
  return entry;
}

static void
connect_entry (KcActDialog *self, Field *f)
{
  g_signal_connect (f->widget, "changed", G_CALLBACK (on_entry_changed_cb), f);
  f->text = g_strstrip (field_raw_text (f));
}

void
kc_act_dialog_add_text (KcActDialog *self, const char *key, const char *label, const char *initial,
                        gboolean required, const char *hint)
{
  Field *f = add_field (self, key, label, FIELD_TEXT, new_entry (initial), hint);

  f->required = required;
  connect_entry (self, f);
  validate (self, FALSE);
}

void
kc_act_dialog_add_long_text (KcActDialog *self, const char *key, const char *label,
                             const char *initial, gboolean required, const char *hint)
{
  GtkWidget *view = gtk_text_view_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new (NULL, NULL);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  Field *f;

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_scrolled_window_set_shadow_type (GTK_SCROLLED_WINDOW (scrolled), GTK_SHADOW_IN);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 72);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  if (initial != NULL)
    gtk_text_buffer_set_text (buffer, initial, -1);
  f = add_field (self, key, label, FIELD_LONG_TEXT, view, hint);
  /* The grid holds the scrolled window, the field is the view. */
  g_object_ref (view);
  gtk_container_remove (GTK_CONTAINER (self->grid), view);
  gtk_container_add (GTK_CONTAINER (scrolled), view);
  g_object_unref (view);
  gtk_widget_set_hexpand (scrolled, TRUE);
  {
    int row = self->rows - (f->hint != NULL ? 2 : 1) - 1;

    gtk_grid_attach (self->grid, scrolled, 1, row, 1, 1);
  }
  gtk_widget_show_all (scrolled);
  f->required = required;
  g_signal_connect (buffer, "changed", G_CALLBACK (on_buffer_changed_cb), f);
  f->text = g_strstrip (field_raw_text (f));
  validate (self, FALSE);
}

void
kc_act_dialog_add_money (KcActDialog *self, const char *key, const char *label, gint64 initial,
                         gint64 min, gint64 max, const char *hint)
{
  g_autofree char *text = initial > 0 ? kc_money_format_plain (initial) : NULL;
  Field *f = add_field (self, key, label, FIELD_MONEY, new_entry (text), hint);

  f->required = TRUE;
  f->min = min;
  f->max = max;
  gtk_entry_set_alignment (GTK_ENTRY (f->widget), 1);
  g_signal_connect (f->widget, "focus-out-event", G_CALLBACK (on_money_focus_out_cb), NULL);
  connect_entry (self, f);
  validate (self, FALSE);
}

void
kc_act_dialog_add_number (KcActDialog *self, const char *key, const char *label, gint64 initial,
                          gint64 min, gint64 max, const char *hint)
{
  g_autofree char *text = initial >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, initial) : NULL;
  Field *f = add_field (self, key, label, FIELD_NUMBER, new_entry (text), hint);

  f->required = TRUE;
  f->min = min;
  f->max = max;
  gtk_entry_set_width_chars (GTK_ENTRY (f->widget), 10);
  gtk_entry_set_alignment (GTK_ENTRY (f->widget), 1);
  connect_entry (self, f);
  validate (self, FALSE);
}

void
kc_act_dialog_add_date (KcActDialog *self, const char *key, const char *label,
                        const char *initial_iso, gboolean not_future)
{
  g_autofree char *text = NULL;
  GDate date;
  Field *f;

  if (initial_iso != NULL && kc_date_parse_iso (initial_iso, &date))
    text = kc_date_format_vn (&date);
  else if (initial_iso == NULL)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();
      text = g_date_time_format (now, "%d/%m/%Y");
    }
  f = add_field (self, key, label, FIELD_DATE, new_entry (text), _ ("dd/mm/yyyy"));
  f->required = TRUE;
  f->not_future = not_future;
  connect_entry (self, f);
  validate (self, FALSE);
}

void
kc_act_dialog_add_month (KcActDialog *self, const char *key, const char *label,
                         const char *initial_iso)
{
  g_autofree char *text = NULL;
  Field *f;

  if (initial_iso != NULL && strlen (initial_iso) >= 7)
    text = g_strdup_printf ("%.2s/%.4s", initial_iso + 5, initial_iso);
  f = add_field (self, key, label, FIELD_MONTH, new_entry (text), _ ("mm/yyyy"));
  f->required = TRUE;
  connect_entry (self, f);
  validate (self, FALSE);
}

void
kc_act_dialog_add_choice (KcActDialog *self, const char *key, const char *label,
                          const char *const *ids, const char *const *texts, const char *initial)
{
  GtkWidget *combo = gtk_combo_box_text_new ();
  Field *f;

  for (int i = 0; ids[i] != NULL; i++)
    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (combo), ids[i], texts[i]);
  if (initial != NULL)
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), initial);
  else if (ids[0] != NULL && ids[1] == NULL)
    gtk_combo_box_set_active (GTK_COMBO_BOX (combo), 0);
  f = add_field (self, key, label, FIELD_CHOICE, combo, NULL);
  f->required = TRUE;
  f->text = field_raw_text (f);
  g_signal_connect (combo, "changed", G_CALLBACK (on_combo_changed_cb), f);
  validate (self, FALSE);
}

void
kc_act_dialog_add_widget (KcActDialog *self, const char *label, GtkWidget *widget)
{
  gtk_widget_set_hexpand (widget, TRUE);
  if (label != NULL)
    {
      GtkWidget *name = gtk_label_new_with_mnemonic (label);

      gtk_label_set_xalign (GTK_LABEL (name), 1);
      gtk_label_set_yalign (GTK_LABEL (name), 0);
      gtk_grid_attach (self->grid, name, 0, self->rows, 1, 1);
      gtk_grid_attach (self->grid, widget, 1, self->rows++, 1, 1);
      gtk_widget_show (name);
    }
  else
    gtk_grid_attach (self->grid, widget, 0, self->rows++, 2, 1);
  gtk_widget_show (widget);
}

void
kc_act_dialog_upload_after (KcActDialog *self, GtkWidget *files, const char *owner_type,
                            const char *id_member, gint64 owner_id)
{
  g_return_if_fail (KC_IS_FILE_LIST (files));
  g_set_object (&self->upload_files, KC_FILE_LIST (files));
  g_free (self->upload_owner_type);
  self->upload_owner_type = g_strdup (owner_type);
  g_free (self->upload_id_member);
  self->upload_id_member = g_strdup (id_member);
  self->upload_owner_id = owner_id;
}

void
kc_act_dialog_set_required (KcActDialog *self, const char *key, gboolean required)
{
  Field *f = find_field (self, key);

  if (f != NULL)
    f->required = required;
  validate (self, FALSE);
}

void
kc_act_dialog_set_intro (KcActDialog *self, const char *text)
{
  gtk_label_set_text (self->intro_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->intro_label), text != NULL && *text != '\0');
}

const char *
kc_act_dialog_get_text (KcActDialog *self, const char *key)
{
  Field *f = find_field (self, key);

  return f != NULL && f->text != NULL ? f->text : "";
}

gboolean
kc_act_dialog_has_value (KcActDialog *self, const char *key)
{
  return *kc_act_dialog_get_text (self, key) != '\0';
}

gint64
kc_act_dialog_get_number (KcActDialog *self, const char *key)
{
  Field *f = find_field (self, key);
  gint64 n = 0;

  if (f == NULL || f->text == NULL)
    return 0;
  if (f->kind == FIELD_MONEY)
    kc_money_parse (f->text, &n, NULL);
  else
    parse_number (f->text, &n);
  return n;
}

char *
kc_act_dialog_get_iso (KcActDialog *self, const char *key)
{
  Field *f = find_field (self, key);
  GDate date;
  int y, m;

  if (f == NULL || f->text == NULL)
    return NULL;
  if (f->kind == FIELD_MONTH)
    return parse_month (f->text, &y, &m) ? g_strdup_printf ("%04d-%02d", y, m) : NULL;
  return kc_date_parse_vn (f->text, &date) ? kc_date_format_iso (&date) : NULL;
}

static void
on_check_toggled_cb (GtkToggleButton *button, gpointer user_data)
{
  Field *f = user_data;

  field_changed (KC_ACT_DIALOG (gtk_widget_get_toplevel (f->widget)), f);
}

void
kc_act_dialog_add_checklist (KcActDialog *self, const char *key, const char *label,
                             const char *const *ids, const char *const *texts,
                             const gboolean *checked)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *scrolled = gtk_scrolled_window_new (NULL, NULL);
  Field *f;
  int row;

  gtk_scrolled_window_set_shadow_type (GTK_SCROLLED_WINDOW (scrolled), GTK_SHADOW_IN);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 160);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  f = add_field (self, key, label, FIELD_CHECKLIST, box, NULL);
  row = self->rows - 2;
  g_object_ref (box);
  gtk_container_remove (GTK_CONTAINER (self->grid), box);
  gtk_container_add (GTK_CONTAINER (scrolled), box);
  g_object_unref (box);
  gtk_widget_set_hexpand (scrolled, TRUE);
  gtk_grid_attach (self->grid, scrolled, 1, row, 1, 1);
  for (int i = 0; ids[i] != NULL; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (texts[i]);

      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (check), checked != NULL && checked[i]);
      g_signal_connect (check, "toggled", G_CALLBACK (on_check_toggled_cb), f);
      gtk_box_pack_start (GTK_BOX (box), check, FALSE, FALSE, 0);
    }
  gtk_widget_show_all (scrolled);
  f->ids = g_strdupv ((char **)ids);
  f->required = TRUE;
  f->text = field_raw_text (f);
  validate (self, FALSE);
}

GPtrArray *
kc_act_dialog_get_checked (KcActDialog *self, const char *key)
{
  Field *f = find_field (self, key);
  GPtrArray *out = g_ptr_array_new ();
  g_autoptr (GList) boxes = NULL;
  guint i = 0;

  if (f == NULL || f->kind != FIELD_CHECKLIST)
    return out;
  boxes = gtk_container_get_children (GTK_CONTAINER (f->widget));
  for (GList *l = boxes; l != NULL && f->ids[i] != NULL; l = l->next, i++)
    if (gtk_toggle_button_get_active (l->data))
      g_ptr_array_add (out, f->ids[i]);
  return out;
}

const char *
kc_act_dialog_get_choice (KcActDialog *self, const char *key)
{
  Field *f = find_field (self, key);

  return f != NULL ? gtk_combo_box_get_active_id (GTK_COMBO_BOX (f->widget)) : NULL;
}

void
kc_act_dialog_mark (KcActDialog *self, const char *key, const char *message)
{
  Field *f = find_field (self, key);

  if (f == NULL)
    return;
  g_free (f->server_error);
  f->server_error = g_strdup (message);
  validate (self, FALSE);
  if (message != NULL)
    gtk_widget_grab_focus (f->widget);
}

/* The field a server's name points at: the key itself, then without a
 * "changes." prefix, then its last part ("budget_lines[0].amount" →
 * "amount"). */
static Field *
field_for_server_name (KcActDialog *self, const char *name)
{
  const char *dot;
  Field *f;

  if (name == NULL)
    return NULL;
  if ((f = find_field (self, name)) != NULL)
    return f;
  if (g_str_has_prefix (name, "changes.") && (f = find_field (self, name + 8)) != NULL)
    return f;
  dot = strrchr (name, '.');
  return dot != NULL ? find_field (self, dot + 1) : NULL;
}

static void
set_busy (KcActDialog *self, gboolean busy)
{
  self->busy = busy;
  if (busy)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
  validate (self, FALSE);
}

/* A refusal: each item on its field when there is one, the rest and the
 * sentence of the error above the buttons. Nothing typed is touched. */
static void
show_refusal (KcActDialog *self, const GError *error, JsonNode *data)
{
  g_autofree char *text = kc_errors_describe (error, data);
  JsonObject *object
      = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  const char *lists[] = { "violations", "fields" };
  Field *first = NULL;

  for (gsize l = 0; object != NULL && l < G_N_ELEMENTS (lists); l++)
    {
      JsonNode *node = json_object_get_member (object, lists[l]);
      JsonArray *items
          = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          const char *field = json_object_get_string_member_with_default (item, "field", NULL);
          const char *rule = json_object_get_string_member_with_default (item, "rule", NULL);
          const char *message = json_object_get_string_member_with_default (item, "message", NULL);
          Field *f = field_for_server_name (self, field);

          if (f == NULL)
            continue;
          g_free (f->server_error);
          f->server_error = kc_errors_describe_item (NULL, rule, message);
          if (first == NULL)
            first = f;
        }
    }
  gtk_label_set_text (self->error_label, text);
  gtk_widget_show (GTK_WIDGET (self->error_label));
  validate (self, TRUE);
  if (first != NULL)
    gtk_widget_grab_focus (first->widget);
}

/* The act's files sent (or not): the act is done either way. */
static void
uploaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcActDialog *self = user_data;
  g_autofree char *failed = kc_file_list_upload_finish (KC_FILE_LIST (source), result);
  g_autofree char *text = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  self->uploading = FALSE;
  set_busy (self, FALSE);
  if (failed != NULL)
    /* TRANSLATORS: after an act's sentence, the files that did not go and why */
    text = g_strdup_printf (_ ("%s Files not sent: %s. Attach them again from the project."),
                            self->done_text != NULL ? self->done_text : "", failed);
  else
    text = g_steal_pointer (&self->done_text);
  gtk_widget_hide (GTK_WIDGET (self));
  if (self->finished != NULL)
    self->finished (self->data, text);
  gtk_widget_destroy (GTK_WIDGET (self));
}

static void
call_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcActDialog *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (reply == NULL)
    {
      KcWindow *window = kc_window_for_widget (GTK_WIDGET (self));

      if (error != NULL
          && (g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_SESSION_EXPIRED)
              || g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_NOT_LOGGED_IN))
          && window != NULL)
        kc_window_show_error (window, error, data);
      if (error != NULL)
        show_refusal (self, error, data);
      return;
    }
  if (self->done != NULL)
    text = self->done (self, JSON_NODE_HOLDS_OBJECT (reply) ? json_node_get_object (reply) : NULL,
                       self->data);
  if (self->upload_files != NULL && kc_file_list_count (self->upload_files) > 0)
    {
      gint64 owner = self->upload_owner_id;

      if (self->upload_id_member != NULL && JSON_NODE_HOLDS_OBJECT (reply))
        owner = json_object_get_int_member_with_default (json_node_get_object (reply),
                                                         self->upload_id_member, 0);
      self->done_text = g_steal_pointer (&text);
      self->uploading = TRUE;
      set_busy (self, TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
      kc_file_list_upload_async (self->upload_files, self->session, self->upload_owner_type, owner,
                                 self->cancellable, uploaded_cb, self);
      return;
    }
  gtk_widget_hide (GTK_WIDGET (self));
  if (self->finished != NULL)
    self->finished (self->data, text);
  gtk_widget_destroy (GTK_WIDGET (self));
}

static void
send (KcActDialog *self)
{
  g_autoptr (JsonNode) params = self->build (self, self->data);

  if (params == NULL)
    {
      validate (self, TRUE);
      return;
    }
  gtk_widget_hide (GTK_WIDGET (self->error_label));
  set_busy (self, TRUE);
  self->method (self->session, params, self->cancellable, call_done_cb, self);
}

static void
on_question_response_cb (GtkDialog *question, int response, gpointer user_data)
{
  KcActDialog *self = user_data;

  gtk_widget_destroy (GTK_WIDGET (question));
  if (response == GTK_RESPONSE_ACCEPT)
    send (self);
}

static void
on_response_cb (KcActDialog *self, int response)
{
  g_autofree char *question = NULL;

  /* The act is done and its files are going: it ends when they have gone. */
  if (self->uploading)
    return;
  if (response != GTK_RESPONSE_ACCEPT)
    {
      gtk_widget_destroy (GTK_WIDGET (self));
      return;
    }
  if (self->busy || !validate (self, TRUE))
    return;
  if (self->confirm != NULL)
    question = self->confirm (self, NULL, self->data);
  if (question == NULL)
    {
      send (self);
      return;
    }
  {
    GtkWidget *ask = gtk_message_dialog_new (
        GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_QUESTION,
        GTK_BUTTONS_NONE, "%s", question);

    gtk_dialog_add_buttons (GTK_DIALOG (ask), _ ("_Go back"), GTK_RESPONSE_CANCEL,
                            gtk_button_get_label (self->accept_button), GTK_RESPONSE_ACCEPT, NULL);
    gtk_window_set_title (GTK_WINDOW (ask), gtk_window_get_title (GTK_WINDOW (self)));
    gtk_dialog_set_default_response (GTK_DIALOG (ask), GTK_RESPONSE_ACCEPT);
    g_signal_connect (ask, "response", G_CALLBACK (on_question_response_cb), self);
    gtk_widget_show (ask);
  }
}

KcActDialog *
kc_act_dialog_new (GtkWindow *parent, KcSession *session, const char *title,
                   const char *accept_label)
{
  KcActDialog *self
      = g_object_new (KC_TYPE_ACT_DIALOG, "transient-for", parent, "title", title, NULL);

  self->session = g_object_ref (session);
  gtk_button_set_label (self->accept_button, accept_label);
  return self;
}

void
kc_act_dialog_run (KcActDialog *self, KcCallFunc method, KcActBuildFunc build,
                   KcActTextFunc confirm, KcActTextFunc done, KcActFinishedFunc finished,
                   gpointer data, GDestroyNotify destroy)
{
  self->method = method;
  self->build = build;
  self->confirm = confirm;
  self->done = done;
  self->finished = finished;
  self->data = data;
  self->destroy = destroy;
  validate (self, FALSE);
  gtk_window_present (GTK_WINDOW (self));
}

static void
kc_act_dialog_dispose (GObject *object)
{
  KcActDialog *self = KC_ACT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->upload_files);
  if (self->destroy != NULL && self->data != NULL)
    self->destroy (self->data);
  self->data = NULL;
  G_OBJECT_CLASS (kc_act_dialog_parent_class)->dispose (object);
}

static void
kc_act_dialog_finalize (GObject *object)
{
  KcActDialog *self = KC_ACT_DIALOG (object);

  g_ptr_array_unref (self->fields);
  g_free (self->upload_owner_type);
  g_free (self->upload_id_member);
  g_free (self->done_text);
  G_OBJECT_CLASS (kc_act_dialog_parent_class)->finalize (object);
}

static void
kc_act_dialog_class_init (KcActDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kc_act_dialog_dispose;
  object_class->finalize = kc_act_dialog_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-act-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KcActDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, KcActDialog, grid);
  gtk_widget_class_bind_template_child (widget_class, KcActDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, KcActDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, KcActDialog, accept_button);
  gtk_widget_class_bind_template_child (widget_class, KcActDialog, cancel_button);
}

static void
kc_act_dialog_init (KcActDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->fields = g_ptr_array_new_with_free_func (field_free);
  g_signal_connect (self, "response", G_CALLBACK (on_response_cb), NULL);
}
