/* test-speech.c: the words the kiosk's speech output says for a control
 * (name, role, state, read from the widget), the recording backend's
 * lines, and the speech-dispatcher backend without a daemon: its worker
 * gives up and the speaker goes away cleanly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "kuu-narrator-private.h"
#include "kuu-speaker-log.h"
#include "kuu-speaker-spd.h"
#include "kuu-test-tree.h"

static char *
describe (GtkWidget *focus)
{
  return _kuu_narrator_describe (_kuu_narrator_control (focus));
}

static void
test_describe_toggles (void)
{
  GtkWidget *reply = g_object_ref_sink (gtk_toggle_button_new_with_label ("I would like a reply"));
  GtkWidget *check = g_object_ref_sink (gtk_check_button_new_with_label ("I have read it"));
  GtkWidget *send = g_object_ref_sink (gtk_button_new_with_label ("Send"));
  g_autofree char *off = describe (reply);
  g_autofree char *on = NULL;
  g_autofree char *unchecked = describe (check);
  g_autofree char *dimmed = NULL;

  g_assert_cmpstr (off, ==, "I would like a reply, toggle button, not selected");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (reply), TRUE);
  on = describe (reply);
  g_assert_cmpstr (on, ==, "I would like a reply, toggle button, selected");
  g_assert_cmpstr (unchecked, ==, "I have read it, check box, not checked");
  gtk_widget_set_sensitive (send, FALSE);
  dimmed = describe (send);
  g_assert_cmpstr (dimmed, ==, "Send, button, unavailable");

  g_assert_finalize_object (reply);
  g_assert_finalize_object (check);
  g_assert_finalize_object (send);
}

/* A button showing two lines says both, with a pause between. */
static void
test_describe_two_lines (void)
{
  GtkWidget *button = g_object_ref_sink (gtk_toggle_button_new ());
  g_autofree char *said = NULL;

  gtk_button_set_child (GTK_BUTTON (button), gtk_label_new ("4\nSomewhat agree"));
  said = describe (button);
  g_assert_cmpstr (said, ==, "4, Somewhat agree, toggle button, not selected");
  g_assert_finalize_object (button);
}

/* A field is named by the label shown before it, and what it holds is
 * read back; a group of choices by the label before the group. */
static void
test_describe_field_and_group (void)
{
  GtkWidget *form = g_object_ref_sink (gtk_box_new (GTK_ORIENTATION_VERTICAL, 0));
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *choices = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *first = gtk_toggle_button_new_with_label ("No answer");
  g_autofree char *field = NULL;
  g_autofree char *group = NULL;

  gtk_box_append (GTK_BOX (form), gtk_label_new ("Your name"));
  gtk_box_append (GTK_BOX (form), entry);
  gtk_box_append (GTK_BOX (form), gtk_label_new ("It was easy."));
  gtk_box_append (GTK_BOX (form), choices);
  gtk_box_append (GTK_BOX (choices), first);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Anna");

  /* The focus is the entry's text, inside it. */
  field = describe (gtk_widget_get_first_child (entry));
  g_assert_cmpstr (field, ==, "Your name, text field, Anna");
  group = _kuu_narrator_group_label (first, form);
  g_assert_cmpstr (group, ==, "It was easy.");
  g_assert_finalize_object (form);
}

static GStrv
read_lines (const char *path)
{
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return g_strsplit (contents, "\n", -1);
}

static void
test_log_backend (void)
{
  g_autofree char *dir = g_dir_make_tmp ("kuu-speech-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "speech.log", NULL);
  KuuSpeaker *speaker = kuu_speaker_log_new (path);
  g_auto(GStrv) lines = NULL;

  kuu_speaker_speak (speaker, KUU_LANGUAGE_FI, "Mitä haluat tehdä?");
  kuu_speaker_speak (speaker, KUU_LANGUAGE_SV, "Två\nrader");
  kuu_speaker_speak (speaker, KUU_LANGUAGE_EN, "");
  kuu_speaker_stop (speaker);
  g_assert_finalize_object (speaker);

  lines = read_lines (path);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[0], ==, "fi\tMitä haluat tehdä?");
  g_assert_cmpstr (lines[1], ==, "sv\tTvå rader");
  g_assert_cmpstr (lines[2], ==, "-\tstop");
  g_assert_cmpstr (lines[3], ==, "");
  kuu_test_remove_tree (dir);
}

/* No daemon and none to start: the worker gives up, and the speaker
 * goes away cleanly. */
static void
test_spd_unavailable (void)
{
  g_autofree char *dir = g_dir_make_tmp ("kuu-speech-XXXXXX", NULL);
  g_autofree char *old_runtime = g_strdup (g_getenv ("XDG_RUNTIME_DIR"));
  KuuSpeaker *speaker;

  g_setenv ("XDG_RUNTIME_DIR", dir, TRUE);
  g_setenv ("SPEECHD_CMD", "/nonexistent/speech-dispatcher", TRUE);
  g_unsetenv ("SPEECHD_ADDRESS");
  speaker = kuu_speaker_spd_new ();

  for (guint i = 0; i < 50; i++)
    kuu_speaker_speak (speaker, KUU_LANGUAGE_SV, "Hej");
  kuu_speaker_stop (speaker);
  /* Waits for the worker: it must come back from a failed connection. */
  g_assert_finalize_object (speaker);

  if (old_runtime != NULL)
    g_setenv ("XDG_RUNTIME_DIR", old_runtime, TRUE);
  g_unsetenv ("SPEECHD_CMD");
  kuu_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/speech/describe/toggles", test_describe_toggles);
  g_test_add_func ("/speech/describe/two-lines", test_describe_two_lines);
  g_test_add_func ("/speech/describe/field-and-group", test_describe_field_and_group);
  g_test_add_func ("/speech/log-backend", test_log_backend);
  g_test_add_func ("/speech/spd-unavailable", test_spd_unavailable);

  return g_test_run ();
}
