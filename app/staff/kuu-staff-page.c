/* kuu-staff-page.c
 *
 * Staff mode: one tab a task. At a kiosk it opens through the staff PIN
 * (KuuPinPage) and the idle reset takes it away like any other page, so
 * the next visit asks for the PIN again; on a desktop it is the window's
 * normal page and needs no PIN.
 *
 * Each tab is built when staff mode opens and gone when it closes: what a
 * staff member typed does not outlive the visit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "kuu-dashboard-page.h"
#include "kuu-device-page.h"
#include "kuu-export-page.h"
#include "kuu-paper-page.h"
#include "kuu-settings-page.h"
#include "kuu-staff-page.h"

struct _KuuStaffPage
{
  GtkWidget     parent_instance;

  KuuContext   *context;

  GtkWidget    *box;
  GtkButton    *close_button;
  AdwViewStack *views;
};

G_DEFINE_FINAL_TYPE (KuuStaffPage, kuu_staff_page, GTK_TYPE_WIDGET)

typedef struct
{
  const char *name;
  const char *title;   /* N_() */
  const char *icon;
  GtkWidget *(*create) (KuuContext *context);
} Tab;

/* In the order staff reach for them. */
static const Tab tabs[] = {
  { "results", N_("Results"), "x-office-presentation-symbolic", kuu_dashboard_page_new },
  { "initiatives", N_("Initiatives"), "document-edit-symbolic", kuu_paper_page_new },
  { "device", N_("Device status"), "network-transmit-receive-symbolic", kuu_device_page_new },
  { "settings", N_("Settings"), "emblem-system-symbolic", kuu_settings_page_new },
  { "export", N_("Export"), "document-save-symbolic", kuu_export_page_new },
};

/* GTK 4.8 tells a screen reader of a stack's hidden pages as if they
 * showed: a tab's content is hidden while another tab is on screen, so
 * only the tab in view can be read (each sits in a holder that stays
 * visible, so its tab stays in the switcher). */
static void
show_only_visible_tab (KuuStaffPage *self)
{
  GtkWidget *visible = adw_view_stack_get_visible_child (self->views);

  for (GtkWidget *holder = gtk_widget_get_first_child (GTK_WIDGET (self->views));
       holder != NULL;
       holder = gtk_widget_get_next_sibling (holder))
    {
      GtkWidget *content = gtk_widget_get_first_child (holder);

      if (content != NULL)
        gtk_widget_set_visible (content, holder == visible);
    }
}

static void
kuu_staff_page_dispose (GObject *object)
{
  KuuStaffPage *self = (KuuStaffPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_STAFF_PAGE);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (kuu_staff_page_parent_class)->dispose (object);
}

static void
kuu_staff_page_class_init (KuuStaffPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_staff_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/staff/kuu-staff-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KuuStaffPage, box);
  gtk_widget_class_bind_template_child (widget_class, KuuStaffPage, close_button);
  gtk_widget_class_bind_template_child (widget_class, KuuStaffPage, views);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kuu_staff_page_init (KuuStaffPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kuu_staff_page_new (KuuContext *context)
{
  KuuStaffPage *self;

  g_return_val_if_fail (KUU_IS_CONTEXT (context), NULL);

  self = g_object_new (KUU_TYPE_STAFF_PAGE, NULL);
  self->context = g_object_ref (context);

  /* At a kiosk Close ends staff mode; on a desktop it leads to the pages
   * residents see, e.g. to enter an answer given by telephone. */
  gtk_button_set_label (self->close_button,
                        kuu_context_get_kiosk (context) ? _("Close") : _("Resident pages"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->close_button),
                               kuu_context_get_kiosk (context)
                               ? _("Leave staff mode and return to the start page")
                               : _("Show the pages residents use"));

  for (gsize i = 0; i < G_N_ELEMENTS (tabs); i++)
    {
      GtkWidget *holder = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *content = tabs[i].create (context);

      gtk_widget_set_vexpand (content, TRUE);
      gtk_box_append (GTK_BOX (holder), content);
      adw_view_stack_add_titled_with_icon (self->views, holder,
                                           tabs[i].name, _(tabs[i].title), tabs[i].icon);
    }
  g_signal_connect_object (self->views, "notify::visible-child",
                           G_CALLBACK (show_only_visible_tab), self, G_CONNECT_SWAPPED);
  show_only_visible_tab (self);

  return GTK_WIDGET (self);
}
