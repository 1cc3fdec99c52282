/* small-fs.c: a tmpfs of a few hundred KiB, mounted for one test, so that
 * a real filesystem answers ENOSPC — not a fake error from a shim. Needs
 * CAP_SYS_ADMIN (CI runs as root); without it the tests skip, saying so.
 * The mounts live in a mount namespace of the test's own: nobody else
 * sees them, and a test that aborts leaves none behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "small-fs.h"

#define FILLER "filler"

static char *isolate_error;

/**
 * small_fs_isolate:
 *
 * Gives the process a mount namespace of its own. Call it first thing in
 * main(): the kernel refuses once there are threads.
 */
void
small_fs_isolate (void)
{
  if (unshare (CLONE_NEWNS) != 0)
    isolate_error = g_strdup_printf ("cannot make a mount namespace (%s): needs root or CAP_SYS_ADMIN",
                                     g_strerror (errno));
  else if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    isolate_error = g_strdup_printf ("cannot make the mounts private (%s)", g_strerror (errno));
}

/**
 * small_fs_mount:
 * @why_not: (out): set when it cannot be mounted: the reason to skip
 *
 * Returns: (transfer full) (nullable): the mount point, a new folder
 */
char *
small_fs_mount (guint   size_kib,
                char  **why_not)
{
  g_autofree char *dir = NULL;
  g_autofree char *options = g_strdup_printf ("size=%uk,mode=0700", size_kib);

  if (isolate_error != NULL)
    {
      *why_not = g_strdup (isolate_error);
      return NULL;
    }
  dir = g_dir_make_tmp ("kuulolla-full-XXXXXX", NULL);
  g_assert_nonnull (dir);
  if (mount ("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, options) != 0)
    {
      *why_not = g_strdup_printf ("cannot mount a small tmpfs (%s): needs root or CAP_SYS_ADMIN",
                                  g_strerror (errno));
      g_rmdir (dir);
      return NULL;
    }
  return g_steal_pointer (&dir);
}

void
small_fs_unmount (const char *dir)
{
  /* Detached: a descriptor a failed test left open must not keep it. */
  g_assert_cmpint (umount2 (dir, MNT_DETACH), ==, 0);
  g_rmdir (dir);
}

guint64
small_fs_free (const char *dir)
{
  struct statvfs info;

  g_assert_cmpint (statvfs (dir, &info), ==, 0);
  return (guint64)info.f_bavail * info.f_frsize;
}

/* Writes a filler file until the filesystem says ENOSPC, then gives back
 * @leave_bytes of it: "nearly full" to the byte. */
void
small_fs_fill (const char *dir,
               gsize       leave_bytes)
{
  g_autofree char *path = g_build_filename (dir, FILLER, NULL);
  char block[4096];
  off_t size = 0;
  int fd;

  memset (block, 'x', sizeof block);
  fd = g_open (path, O_WRONLY | O_CREAT | O_APPEND, 0600);
  g_assert_cmpint (fd, >=, 0);
  size = lseek (fd, 0, SEEK_END);
  for (;;)
    {
      ssize_t written = write (fd, block, sizeof block);

      if (written < 0)
        {
          g_assert_cmpint (errno, ==, ENOSPC);
          break;
        }
      size += written;
    }
  g_assert_cmpint (ftruncate (fd, size > (off_t)leave_bytes ? size - (off_t)leave_bytes : 0), ==, 0);
  g_assert_cmpint (close (fd), ==, 0);
}

void
small_fs_empty (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, FILLER, NULL);

  g_assert_cmpint (g_unlink (path), ==, 0);
}
