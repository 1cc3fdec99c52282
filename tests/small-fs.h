/* small-fs.h: a tiny tmpfs to fill up, for the full-disk tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void      small_fs_isolate (void);
char     *small_fs_mount   (guint        size_kib,
                            char       **why_not);
void      small_fs_unmount (const char  *dir);
void      small_fs_fill    (const char  *dir,
                            gsize        leave_bytes);
void      small_fs_empty   (const char  *dir);
guint64   small_fs_free    (const char  *dir);

G_END_DECLS
