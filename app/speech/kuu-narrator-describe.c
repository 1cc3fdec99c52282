/* kuu-narrator-describe.c
 *
 * The words the narrator says for a widget. GTK 4.8 has no public getter
 * for an accessible label, so the words come from what the widgets show:
 * a button's label or the labels inside it, a field's label just before
 * it, a check box's label; the role and state from the widget's
 * accessible role and its "active" property, in the interface's
 * (the page's) language. What a resident sees is what they hear, easy
 * language included.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-narrator-private.h"

/* Shown, counting the stack's hiding of pages not on screen. */
static gboolean
is_shown (GtkWidget *widget)
{
  return gtk_widget_get_visible (widget) && gtk_widget_get_child_visible (widget);
}

static gboolean
is_heading (GtkWidget *widget)
{
  return GTK_IS_LABEL (widget) &&
         (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)) == GTK_ACCESSIBLE_ROLE_HEADING ||
          gtk_widget_has_css_class (widget, "topic-heading"));
}

static void
add_text (GPtrArray  *texts,
          const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);
  g_autofree char *flat = NULL;

  /* A line break on screen ("4" above "Somewhat agree") is a pause. */
  for (guint i = 0; lines[i] != NULL; i++)
    g_strstrip (lines[i]);
  flat = g_strjoinv (", ", lines);
  if (flat[0] != '\0')
    g_ptr_array_add (texts, g_steal_pointer (&flat));
}

/* The texts of the labels inside @root, in the order they are shown. */
static void
collect_labels (GtkWidget *root,
                GPtrArray *texts)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      if (!is_shown (child))
        continue;
      if (GTK_IS_LABEL (child))
        add_text (texts, gtk_label_get_text (GTK_LABEL (child)));
      else
        collect_labels (child, texts);
    }
}

static char *
join (GPtrArray *texts)
{
  g_ptr_array_add (texts, NULL);
  return g_strjoinv (", ", (char **) texts->pdata);
}

/**
 * _kuu_narrator_headings:
 * @into_stacks: whether to look into stacks' visible pages too
 * @every_label: every label, not only headings
 *
 * Adds the shown headings under @root to @texts: a page's title, a
 * step's question. Not those inside buttons: a button says itself.
 */
void
_kuu_narrator_headings (GtkWidget *root,
                        gboolean   into_stacks,
                        gboolean   every_label,
                        GPtrArray *texts)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      if (!is_shown (child) || GTK_IS_BUTTON (child))
        continue;
      if (GTK_IS_STACK (child) && !into_stacks)
        continue;
      if (is_heading (child) || (every_label && GTK_IS_LABEL (child)))
        add_text (texts, gtk_label_get_text (GTK_LABEL (child)));
      else
        _kuu_narrator_headings (child, into_stacks, every_label, texts);
    }
}

/* The innermost shown page of any stack on @page: the step on screen. */
GtkWidget *
_kuu_narrator_inner_step (GtkWidget *page)
{
  for (GtkWidget *child = gtk_widget_get_first_child (page); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (!is_shown (child))
        continue;
      if (GTK_IS_STACK (child) && gtk_stack_get_visible_child (GTK_STACK (child)) != NULL)
        return _kuu_narrator_inner_step (gtk_stack_get_visible_child (GTK_STACK (child)));
      if ((found = _kuu_narrator_inner_step (child)) != child)
        return found;
    }
  return page;
}

/* The innermost stack page holding @widget, or @page. */
GtkWidget *
_kuu_narrator_step_of (GtkWidget *widget,
                       GtkWidget *page)
{
  for (GtkWidget *w = widget; w != NULL && w != page; w = gtk_widget_get_parent (w))
    if (GTK_IS_STACK (gtk_widget_get_parent (w)))
      return w;
  return page;
}

/* The focus may be a part of a control (an entry's text) or around one
 * (a flow box's child, around its button). */
GtkWidget *
_kuu_narrator_control (GtkWidget *focus)
{
  GtkWidget *parent = gtk_widget_get_parent (focus);

  if (GTK_IS_FLOW_BOX_CHILD (focus) && gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (focus)) != NULL)
    return gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (focus));

  if (GTK_IS_TEXT (focus) && parent != NULL &&
      (GTK_IS_ENTRY (parent) || GTK_IS_PASSWORD_ENTRY (parent) ||
       GTK_IS_SEARCH_ENTRY (parent) || GTK_IS_SPIN_BUTTON (parent)))
    return parent;
  return focus;
}

static gboolean
is_text_field (GtkWidget *control)
{
  return GTK_IS_EDITABLE (control) || GTK_IS_TEXT_VIEW (control);
}

/* The label shown just before @widget or before one of its containers
 * (a field's label, a group's statement); NULL when something other
 * than a label comes first. */
static const char *
label_before (GtkWidget *widget,
              GtkWidget *stop,
              guint      levels)
{
  for (GtkWidget *w = widget; w != NULL && w != stop && levels > 0; w = gtk_widget_get_parent (w), levels--)
    for (GtkWidget *prev = gtk_widget_get_prev_sibling (w); prev; prev = gtk_widget_get_prev_sibling (prev))
      {
        if (!is_shown (prev))
          continue;
        if (GTK_IS_LABEL (prev) && gtk_label_get_text (GTK_LABEL (prev))[0] != '\0')
          return gtk_label_get_text (GTK_LABEL (prev));
        return NULL;
      }
  return NULL;
}

/* A widget whose accessible label is not shown as such says it here,
 * where the label is set (kuu_text_area_set_label). */
static const char *
speech_label (GtkWidget *control)
{
  return g_object_get_data (G_OBJECT (control), "kuu-speech-label");
}

static char *
text_field_name (GtkWidget *control)
{
  const char *label = speech_label (control);

  if (label == NULL)
    label = label_before (control, NULL, 5);

  if (label == NULL && GTK_IS_ENTRY (control))
    label = gtk_entry_get_placeholder_text (GTK_ENTRY (control));
  return g_strdup (label != NULL ? label : "");
}

static char *
name_of (GtkWidget *control)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  if (is_text_field (control))
    return text_field_name (control);
  if (speech_label (control) != NULL)
    return g_strdup (speech_label (control));
  if (GTK_IS_BUTTON (control) && gtk_button_get_label (GTK_BUTTON (control)) != NULL)
    add_text (texts, gtk_button_get_label (GTK_BUTTON (control)));
  else if (GTK_IS_CHECK_BUTTON (control) && gtk_check_button_get_label (GTK_CHECK_BUTTON (control)) != NULL)
    add_text (texts, gtk_check_button_get_label (GTK_CHECK_BUTTON (control)));
  else if (GTK_IS_LABEL (control))
    add_text (texts, gtk_label_get_text (GTK_LABEL (control)));
  else
    collect_labels (control, texts);
  return join (texts);
}

static const char *
role_of (GtkWidget *control)
{
  switch ((int) gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (control)))
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
      /* GTK 4.8 has no toggle button role: a button that stays pressed. */
      if (GTK_IS_TOGGLE_BUTTON (control))
        return _("toggle button");
      /* TRANSLATORS: spoken after a control's name: "Send, button" */
      return _("button");
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
      return _("check box");
    case GTK_ACCESSIBLE_ROLE_RADIO:
      return _("radio button");
    case GTK_ACCESSIBLE_ROLE_SWITCH:
      return _("switch");
    case GTK_ACCESSIBLE_ROLE_LINK:
      return _("link");
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
      return _("text field");
    default:
      return is_text_field (control) ? _("text field") : NULL;
    }
}

/**
 * _kuu_narrator_state:
 *
 * Returns: (nullable): the control's state in words: "selected",
 *   "not checked", "unavailable"
 */
char *
_kuu_narrator_state (GtkWidget *control)
{
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (control));
  GParamSpec *active = g_object_class_find_property (G_OBJECT_GET_CLASS (control), "active");
  gboolean on = FALSE;

  if (!gtk_widget_get_sensitive (control))
    return g_strdup (_("unavailable"));
  if (active == NULL || active->value_type != G_TYPE_BOOLEAN)
    return NULL;

  g_object_get (control, "active", &on, NULL);
  if (role == GTK_ACCESSIBLE_ROLE_CHECKBOX)
    return g_strdup (on ? _("checked") : _("not checked"));
  if (role == GTK_ACCESSIBLE_ROLE_SWITCH)
    return g_strdup (on ? _("on") : _("off"));
  return g_strdup (on ? _("selected") : _("not selected"));
}

/* What a field holds is read back to the person who typed it. */
static char *
content_of (GtkWidget *control)
{
  if (GTK_IS_EDITABLE (control))
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (control)));
  if (GTK_IS_TEXT_VIEW (control))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (control));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }
  return NULL;
}

/**
 * _kuu_narrator_describe:
 *
 * Returns: the control as spoken: "I want a reply, check box, not
 *   checked", "8, button", "Your name, text field, Anna"
 */
char *
_kuu_narrator_describe (GtkWidget *control)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = name_of (control);
  g_autofree char *state = _kuu_narrator_state (control);
  g_autofree char *content = content_of (control);

  add_text (texts, name);
  add_text (texts, role_of (control));
  add_text (texts, state);
  add_text (texts, content);
  /* A field named apart from what is shown before it: that is a hint. */
  if (is_text_field (control) && speech_label (control) != NULL)
    add_text (texts, label_before (control, NULL, 5));
  return join (texts);
}

/* The box a set of choices sits in, past a flow box's own children. */
GtkWidget *
_kuu_narrator_group (GtkWidget *control)
{
  GtkWidget *parent = gtk_widget_get_parent (control);

  if (GTK_IS_FLOW_BOX_CHILD (parent))
    parent = gtk_widget_get_parent (parent);
  return parent;
}

/**
 * _kuu_narrator_group_label:
 *
 * Returns: (nullable): the label shown before a group of choices (a
 *   statement before its answers), when the control is one of them
 */
char *
_kuu_narrator_group_label (GtkWidget *control,
                           GtkWidget *stop)
{
  GtkWidget *group = _kuu_narrator_group (control);
  const char *label;

  if (is_text_field (control) || group == NULL)
    return NULL;
  label = label_before (group, stop, 2);
  return label != NULL ? g_strdup (label) : NULL;
}
