/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-projects-page.c — KcProjectsPage: project.list a page at a time.
 */
#include "kc-projects-page.h"

#include "kc-lazy.h"
#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "kc-calls.h"
#include "kc-collate.h"
#include "kc-form.h"
#include "kc-labels.h"
#include "kc-org-directory.h"
#include "kc-project-editor.h"
#include "kc-project-summary.h"
#include "kc-record-list.h"
#include "kc-table-page.h"
#include "kc-window.h"
#include "kc-column-layout.h"

/* A small first page so the first rows show at once; then the largest the
 * server gives (project.list: 1 … 1000), since each page is a round trip
 * (tests/bench/client-bench, docs/performance.md "Client"). */
#define PAGE_SIZE 50
#define NEXT_PAGE_SIZE 1000

enum
{
  COL_ID,
  COL_CODE,
  COL_TITLE,
  COL_STATUS,
  COL_STAGE,
  COL_YEAR,
  COL_TOTAL,
  COL_TOTAL_TEXT,
  COL_TITLE_KEY,
  COL_ORG_ID,
  COL_PROVINCE,
  N_COLUMNS
};

struct _KcProjectsPage
{
  GtkBox parent_instance;

  GtkWidget *new_button;
  GtkComboBoxText *status_combo;
  GtkComboBoxText *province_combo; /* (nullable): the Ministry's side only */
  KcOrgDirectory *orgs;            /* the session's, for the province column */
  /* The template's province filter, province_combo once shown. */
  GtkComboBoxText *province_filter;
  GtkButton *plan_button;
  GtkSearchEntry *search_entry;
  GtkSpinner *spinner;
  GtkLabel *count_label;
  GtkScrolledWindow *scrolled;
  GtkTreeView *tree_view;

  KcSession *session;
  /* The projects read (KcProjectSummary), in the server's order; the view
   * shows them through @list (which sorts when a header is clicked). */
  GListStore *projects;
  KcRecordList *list;
  GCancellable *cancellable;
  char *next_cursor; /* (nullable): NULL once the last page is read */
  gboolean fetching;
  gint64 plan_id;
  /* The frame clock whose next paint looks for more rows (held, so that
   * dispose can leave it: the clock is the window's and outlives the page). */
  GdkFrameClock *layout_clock;
  guint bench_show_id;
  gint64 bench_start;     /* KC_BENCH_LOAD_ALL: when the page was shown (µs) */
  gint64 bench_start_cpu; /* and the CPU time used by then (µs) */
  gboolean bench;
};

G_DEFINE_TYPE (KcProjectsPage, kc_projects_page, GTK_TYPE_BOX)

static void fetch_page (KcProjectsPage *self);

/* Helpers */

static int
compare_title_keys (GtkTreeModel *model, GtkTreeIter *a, GtkTreeIter *b, gpointer user_data)
{
  return g_strcmp0 (kc_project_summary_get_title_key (kc_record_list_get_record (model, a)),
                    kc_project_summary_get_title_key (kc_record_list_get_record (model, b)));
}

static void
show_error (KcProjectsPage *self, const GError *error, JsonNode *data)
{
  gtk_spinner_stop (self->spinner);
  kc_window_show_error_for (GTK_WIDGET (self), error, data);
}

/* The columns, read from each project when the view asks (by number:
 * kc-column-layout remembers a sort by its column's number). */

static void
get_id (gpointer project, GValue *value, gpointer page)
{
  g_value_set_int64 (value, kc_project_summary_get_id (project));
}

static void
get_code (gpointer project, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_project_summary_get_code (project));
}

static void
get_title (gpointer project, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_project_summary_get_title (project));
}

static void
get_status (gpointer project, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_label_project_status (kc_project_summary_get_status (project)));
}

static void
get_stage (gpointer project, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_label_stage (kc_project_summary_get_stage (project)));
}

static void
get_year (gpointer project, GValue *value, gpointer page)
{
  g_value_set_int (value, kc_project_summary_get_year (project));
}

static void
get_total (gpointer project, GValue *value, gpointer page)
{
  g_value_set_int64 (value, kc_project_summary_get_total (project));
}

static void
get_total_text (gpointer project, GValue *value, gpointer page)
{
  g_value_take_string (value, kc_label_money (kc_project_summary_get_total (project)));
}

static void
get_title_key (gpointer project, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_project_summary_get_title_key (project));
}

static void
get_org_id (gpointer project, GValue *value, gpointer page)
{
  g_value_set_int64 (value, kc_project_summary_get_org_id (project));
}

/* Empty until the organisations are read (on_orgs_changed_cb). */
static void
get_province (gpointer project, GValue *value, gpointer page)
{
  KcOrgDirectory *orgs = KC_PROJECTS_PAGE (page)->orgs;
  const char *province
      = orgs != NULL
            ? kc_org_directory_province_name (orgs, kc_project_summary_get_org_id (project))
            : NULL;

  g_value_set_string (value, province != NULL ? province : "");
}

static const KcRecordColumn columns[N_COLUMNS] = {
  [COL_ID] = { G_TYPE_INT64, get_id },
  [COL_CODE] = { G_TYPE_STRING, get_code },
  [COL_TITLE] = { G_TYPE_STRING, get_title },
  [COL_STATUS] = { G_TYPE_STRING, get_status },
  [COL_STAGE] = { G_TYPE_STRING, get_stage },
  [COL_YEAR] = { G_TYPE_INT, get_year },
  [COL_TOTAL] = { G_TYPE_INT64, get_total },
  [COL_TOTAL_TEXT] = { G_TYPE_STRING, get_total_text },
  [COL_TITLE_KEY] = { G_TYPE_STRING, get_title_key },
  [COL_ORG_ID] = { G_TYPE_INT64, get_org_id },
  [COL_PROVINCE] = { G_TYPE_STRING, get_province },
};

/* The position of project @id in the list, or FALSE. */
static gboolean
find_project (KcProjectsPage *self, gint64 id, guint *position)
{
  GListModel *projects = G_LIST_MODEL (self->projects);
  guint n = g_list_model_get_n_items (projects);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (KcProjectSummary) project = g_list_model_get_item (projects, i);

      if (kc_project_summary_get_id (project) == id)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
update_count (KcProjectsPage *self)
{
  int n = (int)g_list_model_get_n_items (G_LIST_MODEL (self->projects));
  g_autofree char *count = NULL;

  if (self->next_cursor != NULL)
    /* TRANSLATORS: more rows are read as the list is scrolled */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d project shown, more below",
                                          "%d projects shown, more below", n),
                             n);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d project", "%d projects", n), n);
  gtk_label_set_text (self->count_label, count);
}

static gint64
province_filter (KcProjectsPage *self)
{
  const char *id = self->province_combo != NULL
                       ? gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->province_combo))
                       : NULL;

  return id != NULL ? g_ascii_strtoll (id, NULL, 10) : 0;
}

static gboolean
matches_filters (KcProjectsPage *self, KcProjectSummary *project)
{
  const char *status = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->status_combo));
  gint64 province = province_filter (self);

  if (province != 0 && self->orgs != NULL
      && kc_org_directory_province_id (self->orgs, kc_project_summary_get_org_id (project))
             != province)
    return FALSE;

  if (self->plan_id != 0 && kc_project_summary_get_plan_id (project) != self->plan_id)
    return FALSE;
  if (status != NULL && !g_str_equal (status, "all")
      && g_strcmp0 (kc_project_summary_get_status (project), status) != 0)
    return FALSE;
  return gtk_entry_get_text (GTK_ENTRY (self->search_entry))[0] == '\0';
}

/* Whether the last rows read are within half a view of the view's bottom,
 * counted in rows: the row at the view's bottom edge, against the number of
 * rows. Not from the adjustment's upper: GtkTreeView measures rows in idles
 * after the first frame, and until then the upper holds only the measured
 * ones, so a first page of 50 rows sometimes looked like the end of the view
 * and a page of 1,000 nobody scrolled to was read and built
 * (tests/bench/client-screens found 50 rows in some runs, 1,050 in others).
 * The rows in view are measured before they are drawn. */
static gboolean
end_in_view (KcProjectsPage *self)
{
  GtkTreeModel *model = gtk_tree_view_get_model (self->tree_view);
  g_autoptr (GtkTreePath) bottom = NULL;
  GdkRectangle visible, row;
  int n, x, y, per_view;

  gtk_tree_view_get_visible_rect (self->tree_view, &visible);
  /* An unmapped page (another section is shown) has no size: wait for it. */
  if (model == NULL || visible.height <= 0)
    return FALSE;
  n = gtk_tree_model_iter_n_children (model, NULL);
  gtk_tree_view_convert_tree_to_bin_window_coords (self->tree_view, 0,
                                                   visible.y + visible.height - 1, &x, &y);
  if (!gtk_tree_view_get_path_at_pos (self->tree_view, 0, y, &bottom, NULL, NULL, NULL))
    return TRUE; /* the rows end above the bottom edge */
  gtk_tree_view_get_background_area (self->tree_view, bottom, NULL, &row);
  per_view = row.height > 0 ? visible.height / row.height : 1;
  return n - 1 - gtk_tree_path_get_indices (bottom)[0] <= per_view / 2;
}

/* Reads the next page when the last rows come into view. */
static void
maybe_fetch_more (KcProjectsPage *self)
{
  if (self->next_cursor != NULL && !self->fetching && end_in_view (self))
    fetch_page (self);
}

static void
check_more_after_paint_cb (GdkFrameClock *clock, gpointer user_data)
{
  KcProjectsPage *self = user_data;

  g_signal_handlers_disconnect_by_func (clock, check_more_after_paint_cb, self);
  g_clear_object (&self->layout_clock);
  maybe_fetch_more (self);
}

/* A short page may not fill the view, leaving nothing to scroll: look again
 * once the new rows are laid out. Not sooner: until the frame's layout the
 * adjustment still measures the rows before, and an idle may run before it
 * (the frame clock waits for the next frame), which would take a full view
 * for its end and read a page nobody scrolled to. */
static void
check_more_after_layout (KcProjectsPage *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self->tree_view));

  /* Not realized yet: showing the page changes the adjustment, which looks. */
  if (clock == NULL)
    return;
  if (self->layout_clock != NULL)
    g_signal_handlers_disconnect_by_func (self->layout_clock, check_more_after_paint_cb, self);
  g_set_object (&self->layout_clock, clock);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (check_more_after_paint_cb), self, 0);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
}

/* tests/bench/client-bench without the accessibility bridge
 * (KC_BENCH_LOAD_ALL): the page shows itself, keeps its scroll bar at the
 * end as a user dragging it would, and once the last page is drawn prints
 * "loaded ROWS MS VMHWM_KIB CPU_MS" and quits. */
static long
bench_vm_hwm_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line != NULL ? strtol (line + strlen ("VmHWM:"), NULL, 10) : 0;
}

static gint64
bench_cpu_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC
         + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static void
bench_after_paint_cb (GdkFrameClock *clock, gpointer user_data)
{
  KcProjectsPage *self = user_data;

  g_signal_handlers_disconnect_by_func (clock, bench_after_paint_cb, self);
  g_print ("loaded %u %ld %ld %ld\n", g_list_model_get_n_items (G_LIST_MODEL (self->projects)),
           (long)((g_get_monotonic_time () - self->bench_start) / 1000), bench_vm_hwm_kib (),
           (long)((bench_cpu_us () - self->bench_start_cpu) / 1000));
  g_application_quit (g_application_get_default ());
}

static gboolean
bench_show_cb (gpointer user_data)
{
  KcProjectsPage *self = user_data;
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_STACK);

  self->bench_show_id = 0;
  self->bench_start = g_get_monotonic_time ();
  self->bench_start_cpu = bench_cpu_us ();
  /* The page sits in the stack's scrolled window (kc-window.c). */
  if (stack != NULL)
    gtk_stack_set_visible_child_name (GTK_STACK (stack), "projects");
  return G_SOURCE_REMOVE;
}

static void
bench_adjustment_changed_cb (GtkAdjustment *adj, gpointer user_data)
{
  gtk_adjustment_set_value (adj,
                            gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
}

static void
bench_loaded (KcProjectsPage *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self->tree_view));

  if (clock == NULL)
    return;
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (bench_after_paint_cb), self, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self->tree_view));
}

/* Callbacks */

static void
list_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectsPage *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  JsonObject *object;
  JsonArray *items;
  g_autoptr (GPtrArray) page = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->fetching = FALSE;
  gtk_spinner_stop (self->spinner);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        show_error (self, error, data);
      return;
    }
  object = json_node_get_object (reply);
  items = json_object_get_array_member (object, "items");
  g_free (self->next_cursor);
  self->next_cursor
      = g_strdup (json_object_get_string_member_with_default (object, "next_cursor", NULL));
  /* A user who scrolled to the end waits for these rows and will want the
   * next ones: ask for them now, so that the server reads that page while
   * this one is inserted (one page ahead at most: the adjustment is stale
   * until the rows are laid out). Not after the first page, which an empty
   * view would always take as the end. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->projects)) > 0)
    maybe_fetch_more (self);
  page = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    g_ptr_array_add (page,
                     kc_project_summary_new_from_json (json_array_get_object_element (items, i)));
  /* One items-changed: each new row goes in once, with its values. */
  g_list_store_splice (self->projects, g_list_model_get_n_items (G_LIST_MODEL (self->projects)), 0,
                       page->pdata, page->len);
  update_count (self);
  if (self->bench && self->next_cursor == NULL)
    bench_loaded (self);
  check_more_after_layout (self);
}

static void
fetch_page (KcProjectsPage *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) params = NULL;
  const char *query = gtk_entry_get_text (GTK_ENTRY (self->search_entry));
  const char *status = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->status_combo));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "limit");
  json_builder_add_int_value (builder, self->next_cursor != NULL ? NEXT_PAGE_SIZE : PAGE_SIZE);
  /* The columns shown, not the whole list item: 10,000 rows cost the
   * server a fifth as much. */
  json_builder_set_member_name (builder, "brief");
  json_builder_add_boolean_value (builder, TRUE);
  if (query[0] != '\0')
    {
      json_builder_set_member_name (builder, "q");
      json_builder_add_string_value (builder, query);
    }
  if (status != NULL && !g_str_equal (status, "all"))
    {
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, status);
    }
  if (self->plan_id != 0)
    {
      json_builder_set_member_name (builder, "plan_id");
      json_builder_add_int_value (builder, self->plan_id);
    }
  if (province_filter (self) != 0)
    {
      /* The province's organisations and those under it (org_scope). */
      json_builder_set_member_name (builder, "org_id");
      json_builder_add_int_value (builder, province_filter (self));
    }
  if (self->next_cursor != NULL)
    {
      json_builder_set_member_name (builder, "cursor");
      json_builder_add_string_value (builder, self->next_cursor);
    }
  json_builder_end_object (builder);
  params = json_builder_get_root (builder);
  self->fetching = TRUE;
  gtk_spinner_start (self->spinner);
  kc_session_project_list_async (self->session, params, self->cancellable, list_done_cb, self);
}

static void
get_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectsPage *self = user_data;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, NULL, NULL);
  g_autoptr (KcProjectSummary) project = NULL;
  guint position;

  /* A project that left the scope or was deleted simply leaves the list. */
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    return;
  project = kc_project_summary_new_from_json (json_node_get_object (reply));
  if (find_project (self, kc_project_summary_get_id (project), &position))
    {
      /* The record read now takes the old one's place: its row changes. */
      if (matches_filters (self, project)
          || gtk_entry_get_text (GTK_ENTRY (self->search_entry))[0] != '\0')
        g_list_store_splice (self->projects, position, 1, (gpointer *)&project, 1);
      else
        g_list_store_remove (self->projects, position);
    }
  else if (matches_filters (self, project))
    g_list_store_append (self->projects, project);
  update_count (self);
}

static void
on_session_event_cb (KcSession *session, const char *topic, JsonNode *params, gpointer user_data)
{
  KcProjectsPage *self = user_data;
  JsonObject *object;

  if (!g_str_equal (topic, "project") && !g_str_equal (topic, "allocation")
      && !g_str_equal (topic, "payment"))
    return;
  if (params == NULL || !JSON_NODE_HOLDS_OBJECT (params))
    return;
  /* Not shown yet: it reads everything when shown. */
  if (!kc_lazy_ready (GTK_WIDGET (self)))
    return;
  object = json_node_get_object (params);
  /* An event is a hint: read the project to see what changed. */
  kc_session_project_get_async (self->session,
                                json_object_get_int_member_with_default (object, "id", 0),
                                self->cancellable, get_done_cb, self);
}

static void
on_filter_changed_cb (KcProjectsPage *self)
{
  kc_projects_page_refresh (self);
}

static void
on_plan_button_clicked_cb (KcProjectsPage *self)
{
  kc_projects_page_set_plan (self, 0, NULL);
}

static void
on_scrolled_cb (GtkAdjustment *adj, gpointer user_data)
{
  maybe_fetch_more (KC_PROJECTS_PAGE (user_data));
}

static void
on_row_activated_cb (KcProjectsPage *self, GtkTreePath *path, GtkTreeViewColumn *column)
{
  GtkTreeModel *model = gtk_tree_view_get_model (self->tree_view);
  GtkTreeIter iter;
  KcProjectSummary *project;

  if (!gtk_tree_model_get_iter (model, &iter, path))
    return;
  project = kc_record_list_get_record (model, &iter);
  kc_project_editor_open (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))), self->session,
                          kc_project_summary_get_id (project), 0);
}

/* GObject overrides */

static void
kc_projects_page_dispose (GObject *object)
{
  KcProjectsPage *self = KC_PROJECTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->bench_show_id, g_source_remove);
  if (self->layout_clock != NULL)
    g_signal_handlers_disconnect_by_data (self->layout_clock, self);
  g_clear_object (&self->layout_clock);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->orgs != NULL)
    g_signal_handlers_disconnect_by_data (self->orgs, self);
  /* The getters read the page: the view lets go of them first. */
  if (self->tree_view != NULL)
    gtk_tree_view_set_model (self->tree_view, NULL);
  g_clear_object (&self->list);
  g_clear_object (&self->projects);
  g_clear_object (&self->orgs);
  g_clear_object (&self->session);
  g_clear_pointer (&self->next_cursor, g_free);
  G_OBJECT_CLASS (kc_projects_page_parent_class)->dispose (object);
}

static void
kc_projects_page_class_init (KcProjectsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kc_projects_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-projects-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KcProjectsPage, new_button);
  gtk_widget_class_bind_template_child (widget_class, KcProjectsPage, status_combo);
  gtk_widget_class_bind_template_child (widget_class, KcProjectsPage, province_filter);
  gtk_widget_class_bind_template_child (widget_class, KcProjectsPage, plan_button);
  gtk_widget_class_bind_template_child (widget_class, KcProjectsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KcProjectsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KcProjectsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, KcProjectsPage, scrolled);
  gtk_widget_class_bind_template_child (widget_class, KcProjectsPage, tree_view);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_plan_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
}

static gboolean
on_query_tooltip_cb (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
                     gpointer user_data)
{
  GtkTreeView *view = GTK_TREE_VIEW (widget);
  GtkTreeModel *model = NULL;
  g_autoptr (GtkTreePath) path = NULL;
  g_autofree char *title = NULL;
  GtkTreeIter iter;

  if (!gtk_tree_view_get_tooltip_context (view, &x, &y, keyboard, &model, &path, &iter))
    return FALSE;
  gtk_tree_model_get (model, &iter, COL_TITLE, &title, -1);
  if (title == NULL || *title == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, title);
  gtk_tree_view_set_tooltip_row (view, tooltip, path);
  return TRUE;
}

static void
kc_projects_page_init (KcProjectsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->projects = g_list_store_new (KC_TYPE_PROJECT_SUMMARY);
  self->list = kc_record_list_new (G_LIST_MODEL (self->projects), columns, N_COLUMNS, self);
  gtk_tree_sortable_set_sort_func (GTK_TREE_SORTABLE (self->list), COL_TITLE_KEY,
                                   compare_title_keys, NULL, NULL);
  gtk_tree_view_set_model (self->tree_view, GTK_TREE_MODEL (self->list));

  kc_table_add_text_column (self->tree_view, _ ("Code"), COL_CODE, COL_CODE, FALSE, 0);
  kc_table_add_text_column (self->tree_view, _ ("Title"), COL_TITLE, COL_TITLE_KEY, TRUE, 0);
  kc_table_add_text_column (self->tree_view, _ ("Province"), COL_PROVINCE, COL_PROVINCE, FALSE, 0);
  kc_table_add_text_column (self->tree_view, _ ("Year"), COL_YEAR, COL_YEAR, FALSE, 1);
  kc_table_add_text_column (self->tree_view, _ ("Status"), COL_STATUS, COL_STATUS, FALSE, 0);
  kc_table_add_text_column (self->tree_view, _ ("Stage"), COL_STAGE, COL_STAGE, FALSE, 0);
  kc_table_add_text_column (self->tree_view, _ ("Total"), COL_TOTAL_TEXT, COL_TOTAL, FALSE, 1);
  {
    /* Thousands of rows: sized from what typical values look like, not
     * measured row by row (longer ones end in "…"; the columns stay
     * resizable), and narrow enough for the default window. */
    g_autofree char *money = kc_label_money (99999999999);
    const char *const samples[] = { "KCDP-2026-25-000",
                                    NULL,
                                    "Thành phố Hồ Chí Minh",
                                    "0000",
                                    kc_label_project_status ("revision_requested"),
                                    kc_label_stage ("ministry_appraised"),
                                    money };

    kc_table_set_fixed_sizes (self->tree_view, samples);
  }
  /* Rows of one height cut a long title with "…": the pointer shows it whole. */
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->tree_view), TRUE);
  g_signal_connect (self->tree_view, "query-tooltip", G_CALLBACK (on_query_tooltip_cb), NULL);
  kc_column_layout_remember (self->tree_view, "projects");

  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scrolled), "value-changed",
                           G_CALLBACK (on_scrolled_cb), self, 0);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scrolled), "changed",
                           G_CALLBACK (on_scrolled_cb), self, 0);
}

/* The province column and filter, once the organisations are read. */
static void
on_orgs_changed_cb (KcProjectsPage *self)
{
  kc_record_list_changed_all (self->list);
  if (self->province_combo != NULL)
    {
      g_autoptr (GPtrArray) provinces = kc_org_directory_provinces (self->orgs);
      g_autofree char *active
          = g_strdup (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->province_combo)));

      g_signal_handlers_block_by_func (self->province_combo, on_filter_changed_cb, self);
      gtk_combo_box_text_remove_all (self->province_combo);
      gtk_combo_box_text_append (self->province_combo, "0", _ ("All provinces"));
      for (guint i = 0; i < provinces->len; i++)
        {
          gint64 id = *(gint64 *)g_ptr_array_index (provinces, i);
          g_autofree char *text_id = g_strdup_printf ("%" G_GINT64_FORMAT, id);

          gtk_combo_box_text_append (self->province_combo, text_id,
                                     kc_org_directory_province_name (self->orgs, id));
        }
      if (active == NULL
          || !gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->province_combo), active))
        gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->province_combo), "0");
      g_signal_handlers_unblock_by_func (self->province_combo, on_filter_changed_cb, self);
    }
}

/* The Ministry's province filter, declared hidden in the template. */
static void
add_province_filter (KcProjectsPage *self)
{
  GtkComboBox *combo = GTK_COMBO_BOX (self->province_filter);

  g_signal_handlers_block_by_func (combo, on_filter_changed_cb, self);
  gtk_combo_box_set_active_id (combo, "0");
  g_signal_handlers_unblock_by_func (combo, on_filter_changed_cb, self);
  kc_form_combo_limit_width (combo, 24);
  gtk_widget_show (GTK_WIDGET (combo));
  self->province_combo = self->province_filter;
}

/* When first shown: the projects first, then the organisations' names for
 * the province column (issue 17, point 7: nothing read at login). */
static void
first_load (KcProjectsPage *self)
{
  kc_projects_page_refresh (self);
  self->orgs = g_object_ref (kc_org_directory_get (self->session));
  g_signal_connect_object (self->orgs, "changed", G_CALLBACK (on_orgs_changed_cb), self,
                           G_CONNECT_SWAPPED);
  if (kc_org_directory_is_loaded (self->orgs))
    on_orgs_changed_cb (self);
}

/* Public API */

KcProjectsPage *
kc_projects_page_new (KcSession *session)
{
  KcProjectsPage *self = g_object_new (KC_TYPE_PROJECTS_PAGE, NULL);
  const char *role = kc_session_get_role (session);

  self->session = g_object_ref (session);
  /* A province sees its own projects: the filter is the Ministry's; and
   * only a province writes projects (no dead "New project…" elsewhere). */
  if (g_strcmp0 (role, "province_officer") != 0 && g_strcmp0 (role, "province_leader") != 0)
    {
      add_province_filter (self);
      gtk_widget_hide (self->new_button);
    }
  g_signal_connect_object (session, "event", G_CALLBACK (on_session_event_cb), self, 0);
  if (g_getenv ("KC_BENCH_LOAD_ALL") != NULL)
    {
      self->bench = TRUE;
      g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scrolled), "changed",
                               G_CALLBACK (bench_adjustment_changed_cb), self, 0);
      self->bench_show_id = g_idle_add (bench_show_cb, self);
    }
  /* The first reading when first shown (issue 17, point 7). */
  kc_lazy_init (GTK_WIDGET (self), G_CALLBACK (first_load));
  return self;
}

void
kc_projects_page_refresh (KcProjectsPage *self)
{
  g_return_if_fail (KC_IS_PROJECTS_PAGE (self));
  if (!kc_lazy_ready (GTK_WIDGET (self)))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->next_cursor, g_free);
  g_list_store_remove_all (self->projects);
  fetch_page (self);
}

void
kc_projects_page_set_plan (KcProjectsPage *self, gint64 plan_id, const char *title)
{
  g_return_if_fail (KC_IS_PROJECTS_PAGE (self));

  self->plan_id = plan_id;
  if (plan_id != 0)
    {
      /* TRANSLATORS: the plan filter's button; %s is the plan */
      g_autofree char *label = g_strdup_printf (_ ("Plan: %s ✕"), title != NULL ? title : "");

      gtk_button_set_label (self->plan_button, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->plan_button), plan_id != 0);
  kc_projects_page_refresh (self);
}

void
kc_projects_page_new_project (KcProjectsPage *self)
{
  kc_project_editor_open (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))), self->session,
                          0, self->plan_id);
}

void
kc_projects_page_focus_search (KcProjectsPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
