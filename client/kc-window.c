/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-window.c — KcWindow: the pages a role may use, in a sidebar.
 */
#include "kc-window.h"

#include <glib/gi18n.h>

#include "kc-calls.h"
#include "kc-error.h"
#include "kc-errors.h"
#include "kc-audit-page.h"
#include "kc-budget-page.h"
#include "kc-catalog-page.h"
#include "kc-dashboard-page.h"
#include "kc-home-page.h"
#include "kc-reports-page.h"
#include "kc-correspondence-page.h"
#include "kc-draft-conflict.h"
#include "kc-draft-store.h"
#include "kc-typical-products-page.h"
#include "kc-org-page.h"
#include "kc-review-page.h"
#include "kc-rounds-page.h"
#include "kc-plans-page.h"
#include "kc-programmes-page.h"
#include "kc-projects-page.h"
#include "kc-users-page.h"

struct _KcWindow
{
  GtkApplicationWindow parent_instance;

  GtkHeaderBar *header_bar;
  GtkInfoBar *error_bar;
  GtkLabel *error_label;
  GtkStack *stack;
  GtkButton *pending_button;

  /* The application's session, held so that dispose can leave its signals
   * and its draft store's: both outlive a window closed by logging out, and
   * the subscription's call may keep the window itself a little longer. */
  KcSession *session;
  KcDraftStore *drafts;
  int width;
  int height;
  gboolean maximized;
  guint resubscribe_id;  /* a retry of events.subscribe after a lost connection */
  gboolean resubscribed; /* FALSE until the first subscription of a new connection */
};

G_DEFINE_TYPE (KcWindow, kc_window, GTK_TYPE_APPLICATION_WINDOW)

/* Helpers */

/* The pages are each in a scrolled window of the stack (see add_page). */
static GtkWidget *
unwrap (GtkWidget *child)
{
  if (GTK_IS_SCROLLED_WINDOW (child))
    child = gtk_bin_get_child (GTK_BIN (child));
  if (GTK_IS_VIEWPORT (child))
    child = gtk_bin_get_child (GTK_BIN (child));
  return child;
}

static void ensure_built (KcWindow *self, GtkWidget *child);

static GtkWidget *
page_by_name (KcWindow *self, const char *name)
{
  GtkWidget *child = gtk_stack_get_child_by_name (self->stack, name);

  if (child == NULL)
    return NULL;
  ensure_built (self, child);
  return unwrap (child);
}

static GtkWidget *
visible_page (KcWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);

  if (child == NULL)
    return NULL;
  ensure_built (self, child);
  return unwrap (child);
}

static void
show_page (KcWindow *self, GtkWidget *page)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (page, GTK_TYPE_SCROLLED_WINDOW);

  gtk_stack_set_visible_child (self->stack, scrolled != NULL ? scrolled : page);
}

/* A page in the stack, in a scrolled window that asks for no size of its
 * own: the window's size never follows the page shown (a wide report does
 * not widen it, switching pages does not change it), and on a small screen
 * (1366×768) a page larger than the window scrolls instead of being cut. */
static void
add_page (KcWindow *self, GtkWidget *page, const char *name, const char *title)
{
  GtkWidget *scrolled = gtk_scrolled_window_new (NULL, NULL);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_shadow_type (GTK_SCROLLED_WINDOW (scrolled), GTK_SHADOW_NONE);
  gtk_widget_show (page);
  gtk_container_add (GTK_CONTAINER (scrolled), page);
  gtk_viewport_set_shadow_type (GTK_VIEWPORT (gtk_bin_get_child (GTK_BIN (scrolled))),
                                GTK_SHADOW_NONE);
  gtk_widget_show (scrolled);
  gtk_stack_add_titled (self->stack, scrolled, name, title);
}

static KcApplication *
get_app (KcWindow *self)
{
  return KC_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

/* A plan's double-click shows its projects. */
static void
on_plan_activated_cb (KcWindow *self, gint64 plan_id, const char *title)
{
  GtkWidget *projects = page_by_name (self, "projects");

  kc_projects_page_set_plan (KC_PROJECTS_PAGE (projects), plan_id, title);
  show_page (self, projects);
}

/* A home-page item that opens a page rather than a record's window. */
static void
on_home_show_page_cb (KcWindow *self, const char *name, gint64 id)
{
  GtkWidget *page = page_by_name (self, name);

  /* A page this role does not have (the rounds of an officer, the
   * correspondence of a viewer): the reports, else the plans. */
  if (page == NULL)
    page = page_by_name (self, "reports");
  if (page == NULL)
    page = page_by_name (self, "plans");
  if (page != NULL)
    show_page (self, page);
  if (KC_IS_PLANS_PAGE (page))
    kc_plans_page_select (KC_PLANS_PAGE (page), id);
  else if (KC_IS_CORRESPONDENCE_PAGE (page))
    kc_correspondence_page_select (KC_CORRESPONDENCE_PAGE (page), id);
  else if (KC_IS_ROUNDS_PAGE (page) && id != 0)
    kc_rounds_page_select_report (KC_ROUNDS_PAGE (page), id);
}

static void subscribe (KcWindow *self);
static void on_refresh_activated_cb (GSimpleAction *action, GVariant *parameter,
                                     gpointer user_data);

static gboolean
resubscribe_cb (gpointer user_data)
{
  KcWindow *self = user_data;

  self->resubscribe_id = 0;
  subscribe (self);
  return G_SOURCE_REMOVE;
}

static void
subscribe_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KcWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, NULL, &error);

  /* Logged out before the answer came: the window has left the application
   * (it is held only by this call), so there is nothing to do. */
  if (gtk_widget_in_destruction (GTK_WIDGET (self))
      || gtk_window_get_application (GTK_WINDOW (self)) == NULL)
    return;
  if (reply != NULL)
    {
      /* Events sent while the connection was down are lost: read again. */
      if (self->resubscribed)
        on_refresh_activated_cb (NULL, NULL, self);
      self->resubscribed = TRUE;
      /* The server is back (or was never away): edits kept meanwhile go now. */
      kc_draft_store_send (kc_draft_store_get (KC_SESSION (source)));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Without events the lists still work (F5); a lost connection is retried. */
  g_warning ("events.subscribe failed: %s", error->message);
  if (error->domain == KC_SESSION_ERROR && self->resubscribe_id == 0)
    self->resubscribe_id = g_timeout_add_seconds (10, resubscribe_cb, self);
}

static void
subscribe (KcWindow *self)
{
  static const char *topics[] = { "plan",    "project",        "allocation", "payment",
                                  "comment", "correspondence", "programme",  "budget" };
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  /* The home page's (issue 16): what makes and ends its items. */
  static const char *inbox_topics[] = { "inbox", "round_report", "round" };
  g_autoptr (JsonNode) params = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "topics");
  json_builder_begin_array (builder);
  for (gsize i = 0; i < G_N_ELEMENTS (topics); i++)
    json_builder_add_string_value (builder, topics[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (inbox_topics); i++)
    json_builder_add_string_value (builder, inbox_topics[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  params = json_builder_get_root (builder);
  kc_session_events_subscribe_async (kc_window_get_session (self), params, NULL, subscribe_done_cb,
                                     g_object_ref (self));
}

/* A subscription belongs to a connection: the next one (the session
 * reconnects and resumes by itself) needs its own. */
static void
on_session_disconnected_cb (KcSession *session, gpointer user_data)
{
  KcWindow *self = user_data;

  if (kc_session_is_logged_in (session) && self->resubscribe_id == 0)
    self->resubscribe_id = g_timeout_add_seconds (1, resubscribe_cb, self);
}

/* Offline drafts: how many edits wait, and their conflicts. */

static void
on_drafts_changed_cb (KcDraftStore *store, gpointer user_data)
{
  KcWindow *self = user_data;
  guint count = kc_draft_store_count (store);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->pending_button), count > 0);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u edit waiting to be sent",
                                       "%u edits waiting to be sent", count),
                          count);
  gtk_button_set_label (self->pending_button, text);
  /* The name stays "edits waiting"; the count is in the description. */
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self->pending_button)), text);
}

static void
on_draft_conflict_cb (KcDraftStore *store, gint64 id, gpointer user_data)
{
  KcWindow *self = user_data;

  /* The store outlives a window closed by logging out. */
  if (gtk_window_get_application (GTK_WINDOW (self)) == NULL)
    return;
  kc_draft_conflict_show (GTK_WINDOW (self), kc_window_get_session (self), id);
}

static void
on_pending_button_clicked_cb (KcWindow *self)
{
  KcDraftStore *store = kc_draft_store_get (kc_window_get_session (self));
  g_autoptr (GArray) conflicts = kc_draft_store_conflicts (store);

  for (guint i = 0; i < conflicts->len; i++)
    kc_draft_conflict_show (GTK_WINDOW (self), kc_window_get_session (self),
                            g_array_index (conflicts, gint64, i));
  kc_draft_store_send (store);
}

static void
watch_drafts (KcWindow *self)
{
  KcDraftStore *store = kc_draft_store_get (kc_window_get_session (self));

  g_set_object (&self->drafts, store);
  g_signal_connect_object (store, "changed", G_CALLBACK (on_drafts_changed_cb), self, 0);
  g_signal_connect_object (store, "conflict", G_CALLBACK (on_draft_conflict_cb), self, 0);
  on_drafts_changed_cb (store, self);
}

/* The page named @name, built (see add_pages). */
static GtkWidget *
make_page (KcWindow *self, const char *name)
{
  KcSession *session = kc_window_get_session (self);
  GtkWidget *page = NULL;

  if (g_str_equal (name, "dashboard"))
    page = GTK_WIDGET (kc_dashboard_page_new (session));
  else if (g_str_equal (name, "plans"))
    {
      page = GTK_WIDGET (kc_plans_page_new (session));
      g_signal_connect_object (page, "plan-activated", G_CALLBACK (on_plan_activated_cb), self,
                               G_CONNECT_SWAPPED);
    }
  else if (g_str_equal (name, "projects"))
    page = GTK_WIDGET (kc_projects_page_new (session));
  else if (g_str_equal (name, "review"))
    page = GTK_WIDGET (kc_review_page_new (session));
  else if (g_str_equal (name, "budget"))
    page = GTK_WIDGET (kc_budget_page_new (session));
  else if (g_str_equal (name, "correspondence"))
    page = GTK_WIDGET (kc_correspondence_page_new (session));
  else if (g_str_equal (name, "reports"))
    page = GTK_WIDGET (kc_reports_page_new (session));
  else if (g_str_equal (name, "rounds"))
    page = GTK_WIDGET (kc_rounds_page_new (session));
  else if (g_str_equal (name, "programmes"))
    page = GTK_WIDGET (kc_programmes_page_new (session));
  else if (g_str_equal (name, "orgs"))
    page = GTK_WIDGET (kc_org_page_new (session));
  else if (g_str_equal (name, "typical-products"))
    page = GTK_WIDGET (kc_typical_products_page_new (session));
  else if (g_str_equal (name, "users"))
    page = GTK_WIDGET (kc_users_page_new (session));
  else if (g_str_equal (name, "audit"))
    page = GTK_WIDGET (kc_audit_page_new (session));
  else if (g_str_equal (name, "catalog"))
    page = GTK_WIDGET (kc_catalog_page_new (session));
  g_return_val_if_fail (page != NULL, NULL);
  return page;
}

/* A stack child of add_lazy_page gets its page the first time it is
 * shown or asked for (issue 17, point 7: at login only the home page is
 * built). */
static void
ensure_built (KcWindow *self, GtkWidget *child)
{
  g_autofree char *name = NULL;
  GtkWidget *page;

  if (!GTK_IS_SCROLLED_WINDOW (child) || gtk_bin_get_child (GTK_BIN (child)) != NULL)
    return;
  gtk_container_child_get (GTK_CONTAINER (self->stack), child, "name", &name, NULL);
  page = make_page (self, name);
  if (page == NULL)
    return;
  gtk_widget_show (page);
  gtk_container_add (GTK_CONTAINER (child), page);
  gtk_viewport_set_shadow_type (GTK_VIEWPORT (gtk_bin_get_child (GTK_BIN (child))),
                                GTK_SHADOW_NONE);
}

static void
on_visible_child_cb (KcWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);

  if (child != NULL)
    ensure_built (self, child);
}

static void
add_lazy_page (KcWindow *self, const char *name, const char *title)
{
  GtkWidget *scrolled = gtk_scrolled_window_new (NULL, NULL);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_shadow_type (GTK_SCROLLED_WINDOW (scrolled), GTK_SHADOW_NONE);
  gtk_widget_show (scrolled);
  gtk_stack_add_titled (self->stack, scrolled, name, title);
}

static void
add_pages (KcWindow *self)
{
  KcSession *session = kc_window_get_session (self);
  const char *role = kc_session_get_role (session);
  GtkWidget *page;

  /* What awaits me: the first page, for every role (issue 16); built now,
   * the others when first shown (make_page). */
  page = GTK_WIDGET (kc_home_page_new (session));
  g_signal_connect_object (page, "show-page", G_CALLBACK (on_home_show_page_cb), self,
                           G_CONNECT_SWAPPED);
  add_page (self, page, "home", _ ("What awaits me"));
  g_signal_connect_object (self->stack, "notify::visible-child", G_CALLBACK (on_visible_child_cb),
                           self, G_CONNECT_SWAPPED);
  if (g_strcmp0 (role, "province_leader") == 0 || g_str_has_prefix (role, "ministry_"))
    add_lazy_page (self, "dashboard", _ ("Dashboard"));

  /* Only pages that exist and that the role may use: the administrator
   * keeps the accounts, not the plans. */
  if (g_strcmp0 (role, "admin") != 0)
    {
      add_lazy_page (self, "plans", _ ("Plans"));
      add_lazy_page (self, "projects", _ ("Projects"));
    }
  if (g_strcmp0 (role, "ministry_reviewer") == 0 || g_strcmp0 (role, "ministry_approver") == 0)
    add_lazy_page (self, "review", _ ("Appraisal"));
  if (g_strcmp0 (role, "admin") != 0)
    {
      add_lazy_page (self, "budget", _ ("State budget"));
      add_lazy_page (self, "correspondence", _ ("Requests"));
      add_lazy_page (self, "reports", _ ("Reports"));
      add_lazy_page (self, "rounds", _ ("Reporting rounds"));
      add_lazy_page (self, "programmes", _ ("Programmes"));
    }

  add_lazy_page (self, "orgs", _ ("Organisations"));
  /* The typical rural industrial products register: every role reads it. */
  add_lazy_page (self, "typical-products", _ ("Typical products"));

  if (g_strcmp0 (role, "admin") == 0)
    {
      add_lazy_page (self, "users", _ ("Users"));
      add_lazy_page (self, "audit", _ ("Audit log"));
      add_lazy_page (self, "catalog", _ ("Catalogue"));
      /* The administrator keeps the national programmes too. */
      add_lazy_page (self, "programmes", _ ("Programmes"));
    }
}

static void
restore_size (KcWindow *self)
{
  GSettings *settings = kc_application_get_settings (get_app (self));

  if (settings == NULL)
    return;
  int width = g_settings_get_int (settings, "window-width");
  int height = g_settings_get_int (settings, "window-height");
  GdkDisplay *display = gdk_display_get_default ();
  GdkMonitor *monitor = display != NULL ? gdk_display_get_primary_monitor (display) : NULL;

  if (monitor == NULL && display != NULL && gdk_display_get_n_monitors (display) > 0)
    monitor = gdk_display_get_monitor (display, 0);
  /* What was left last time, never larger than the screen's work area
   * (a 1366×768 laptop's included: nothing cut). The default size is the
   * content's: the header bar and the window's borders come on top (56 px
   * high, 10 px wide under Adwaita), so they are kept free. */
  if (monitor != NULL)
    {
      GdkRectangle area;

      gdk_monitor_get_workarea (monitor, &area);
      width = MIN (width, area.width - 16);
      height = MIN (height, area.height - 64);
    }
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_size (KcWindow *self)
{
  KcApplication *app = get_app (self);
  GSettings *settings = app != NULL ? kc_application_get_settings (app) : NULL;

  if (settings == NULL || self->width <= 0)
    return;
  g_settings_set_int (settings, "window-width", self->width);
  g_settings_set_int (settings, "window-height", self->height);
  g_settings_set_boolean (settings, "window-maximized", self->maximized);
}

/* Callbacks */

static void
on_logout_button_clicked_cb (KcWindow *self)
{
  kc_application_show_login (get_app (self), NULL);
}

static void
on_error_bar_response_cb (KcWindow *self, int response)
{
  gtk_widget_hide (GTK_WIDGET (self->error_bar));
}

static void
on_refresh_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  KcWindow *self = user_data;
  GtkWidget *page = visible_page (self);

  gtk_widget_hide (GTK_WIDGET (self->error_bar));
  if (KC_IS_HOME_PAGE (page))
    kc_home_page_refresh (KC_HOME_PAGE (page));
  else if (KC_IS_DASHBOARD_PAGE (page))
    kc_dashboard_page_refresh (KC_DASHBOARD_PAGE (page));
  else if (KC_IS_ORG_PAGE (page))
    kc_org_page_refresh (KC_ORG_PAGE (page));
  else if (KC_IS_USERS_PAGE (page))
    kc_users_page_refresh (KC_USERS_PAGE (page));
  else if (KC_IS_PLANS_PAGE (page))
    kc_plans_page_refresh (KC_PLANS_PAGE (page));
  else if (KC_IS_PROJECTS_PAGE (page))
    kc_projects_page_refresh (KC_PROJECTS_PAGE (page));
  else if (KC_IS_CATALOG_PAGE (page))
    kc_catalog_page_refresh (KC_CATALOG_PAGE (page));
  else if (KC_IS_PROGRAMMES_PAGE (page))
    kc_programmes_page_refresh (KC_PROGRAMMES_PAGE (page));
  else if (KC_IS_ROUNDS_PAGE (page))
    kc_rounds_page_refresh (KC_ROUNDS_PAGE (page));
  else if (KC_IS_TABLE_PAGE (page))
    kc_table_page_refresh (KC_TABLE_PAGE (page));
}

static void
on_new_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  KcWindow *self = user_data;
  GtkWidget *page = visible_page (self);
  const char *role = kc_session_get_role (kc_window_get_session (self));

  if (g_strcmp0 (role, "province_officer") != 0 && g_strcmp0 (role, "province_leader") != 0)
    return;
  if (KC_IS_PLANS_PAGE (page))
    kc_plans_page_new_plan (KC_PLANS_PAGE (page));
  else
    kc_projects_page_new_project (KC_PROJECTS_PAGE (page_by_name (self, "projects")));
}

static void
on_find_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  KcWindow *self = user_data;
  GtkWidget *projects = page_by_name (self, "projects");

  if (projects == NULL)
    return;
  show_page (self, projects);
  kc_projects_page_focus_search (KC_PROJECTS_PAGE (projects));
}

/* GObject overrides */

static void
kc_window_size_allocate (GtkWidget *widget, GtkAllocation *allocation)
{
  KcWindow *self = KC_WINDOW (widget);

  GTK_WIDGET_CLASS (kc_window_parent_class)->size_allocate (widget, allocation);
  self->maximized = gtk_window_is_maximized (GTK_WINDOW (self));
  if (!self->maximized)
    gtk_window_get_size (GTK_WINDOW (self), &self->width, &self->height);
}

/* After construction: GtkWindow:application is not set before. */
static void
setup (KcWindow *self)
{
  KcSession *session;
  g_autofree char *subtitle = NULL;
  static const GActionEntry entries[] = {
    { "refresh", on_refresh_activated_cb, NULL, NULL, NULL, { 0 } },
    { "new", on_new_activated_cb, NULL, NULL, NULL, { 0 } },
    { "find", on_find_activated_cb, NULL, NULL, NULL, { 0 } },
  };
  static const char *refresh_accels[] = { "F5", "<Control>r", NULL };
  static const char *new_accels[] = { "<Control>n", NULL };
  static const char *find_accels[] = { "<Control>f", NULL };

  session = kc_application_get_session (get_app (self));
  self->session = g_object_ref (session);
  /* TRANSLATORS: the header bar's subtitle: a person's full name and role */
  subtitle = g_strdup_printf (_ ("%s — %s"), kc_session_get_full_name (session),
                              kc_role_display_name (kc_session_get_role (session)));
  gtk_header_bar_set_subtitle (self->header_bar, subtitle);

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (get_app (self)), "win.refresh",
                                         refresh_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (get_app (self)), "win.new", new_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (get_app (self)), "win.find", find_accels);
  restore_size (self);
  /* The app menu's "Notify new tasks": the setting itself (issue 16). */
  if (kc_application_get_settings (get_app (self)) != NULL)
    {
      g_autoptr (GAction) notify = g_settings_create_action (
          kc_application_get_settings (get_app (self)), "notify-new-items");

      g_action_map_add_action (G_ACTION_MAP (self), notify);
    }
  add_pages (self);
  /* tests/bench/client-bench (KC_BENCH_LOAD_ALL): the Projects page shows
   * itself, so it must exist although nobody chose it. */
  if (g_getenv ("KC_BENCH_LOAD_ALL") != NULL)
    page_by_name (self, "projects");
  watch_drafts (self);
  subscribe (self);
  g_signal_connect_object (session, "disconnected", G_CALLBACK (on_session_disconnected_cb), self,
                           0);
}

static void
kc_window_dispose (GObject *object)
{
  KcWindow *self = KC_WINDOW (object);

  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_clear_object (&self->session);
    }
  if (self->drafts != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->drafts, self);
      g_clear_object (&self->drafts);
    }
  g_clear_handle_id (&self->resubscribe_id, g_source_remove);
  save_size (KC_WINDOW (object));
  G_OBJECT_CLASS (kc_window_parent_class)->dispose (object);
}

static void
kc_window_class_init (KcWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kc_window_dispose;
  widget_class->size_allocate = kc_window_size_allocate;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KcWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, KcWindow, error_bar);
  gtk_widget_class_bind_template_child (widget_class, KcWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, KcWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, KcWindow, pending_button);
  gtk_widget_class_bind_template_callback (widget_class, on_pending_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_logout_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_error_bar_response_cb);
}

static void
kc_window_init (KcWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

KcWindow *
kc_window_new (KcApplication *app)
{
  KcWindow *self = g_object_new (KC_TYPE_WINDOW, "application", app, NULL);

  setup (self);
  return self;
}

void
kc_window_show_home (KcWindow *self)
{
  GtkWidget *home;

  g_return_if_fail (KC_IS_WINDOW (self));
  home = gtk_stack_get_child_by_name (self->stack, "home");
  if (home != NULL)
    gtk_stack_set_visible_child (self->stack, home);
  gtk_window_present (GTK_WINDOW (self));
}

KcSession *
kc_window_get_session (KcWindow *self)
{
  return self->session;
}

KcWindow *
kc_window_for_widget (GtkWidget *widget)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (widget);

  if (KC_IS_WINDOW (toplevel))
    return KC_WINDOW (toplevel);
  toplevel = GTK_IS_WINDOW (toplevel)
                 ? GTK_WIDGET (gtk_window_get_transient_for (GTK_WINDOW (toplevel)))
                 : NULL;
  return toplevel != NULL && KC_IS_WINDOW (toplevel) ? KC_WINDOW (toplevel) : NULL;
}

void
kc_window_show_error_for (GtkWidget *widget, const GError *error, JsonNode *data)
{
  KcWindow *window = kc_window_for_widget (widget);

  if (window != NULL)
    kc_window_show_error (window, error, data);
}

char *
kc_describe_error (const GError *error)
{
  return kc_errors_describe (error, NULL);
}

void
kc_window_show_error (KcWindow *self, const GError *error, JsonNode *data)
{
  g_autofree char *text = NULL;

  g_return_if_fail (KC_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_SESSION_EXPIRED)
      || g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_NOT_LOGGED_IN))
    {
      kc_application_show_login (get_app (self),
                                 _ ("Your session has expired. Please log in again."));
      return;
    }
  text = kc_errors_describe (error, data);
  gtk_label_set_text (self->error_label, text);
  gtk_widget_show (GTK_WIDGET (self->error_bar));
}

void
kc_set_accessible_name (GtkWidget *widget, const char *name)
{
  atk_object_set_name (gtk_widget_get_accessible (widget), name);
}
