/* kuu-sync-private.h: what the files of the sync client share
 *
 * KuuSync is one object split by job: kuu-sync.c (the object, its
 * properties and signals, the pull timer), kuu-sync-push.c (the outbox's
 * delivery and its backoff), kuu-sync-region.c (the region file with its
 * ETag), kuu-sync-initiatives.c (the initiatives with their cursor); each
 * job keeps its state in a struct of its own inside KuuSync. Enrolment
 * (kuu-enrol.c) needs no KuuSync. The parsers of the server's answers are
 * here too, for the fuzz targets (fuzz/fuzz-response.c) and tests; the app
 * reaches everything only through kuu-sync.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "kuu-strategy.h"
#include "kuu-sync.h"

G_BEGIN_DECLS

/* How long a request may go without the server saying anything (s). */
#define KUU_SYNC_HTTP_TIMEOUT 30

/* Each exchange with the server clears only an error of its own kind: a
 * pulled initiatives page must not hide that the region file was refused,
 * nor a delivered batch that the initiatives cannot be read. */
typedef enum
{
  KUU_SYNC_SOURCE_PUSH,
  KUU_SYNC_SOURCE_REGION,
  KUU_SYNC_SOURCE_INITIATIVES,
  KUU_SYNC_SOURCE_CONTENT,  /* what the server sent was skipped: no later success undoes that */
} KuuSyncSource;

/* What a pull (the region file, a page of initiatives) carries through its
 * steps begins with this: counted by reference (g_rc_box), it holds the
 * sync, and @clear frees the rest of the pull's own struct. */
typedef struct
{
  KuuSync        *sync;
  GDestroyNotify  clear;
} KuuSyncPull;

/* The outbox's delivery (kuu-sync-push.c). */
typedef struct
{
  gboolean in_flight;    /* a round is on: read, send, settle */
  guint    failures;     /* in a row, for the backoff */
  guint    batch_limit;  /* halved by a 413, grown back by each delivery */
  guint    generation;   /* bumped at each stop: a batch read before it is given back */
  guint    retry_id;
  guint    base_ms;
  guint    cap_ms;
  gint64   last_count;   /* monotonic µs of the last count asked for; 0 before */
} KuuSyncPush;

/* The region pull (kuu-sync-region.c). */
typedef struct
{
  char        *id;        /* NULL: the pull is off */
  char        *dir;
  gboolean     busy;
  KuuStrategy *strategy;  /* the last file installed, as the loader read it */
} KuuSyncRegion;

/* The initiatives pull (kuu-sync-initiatives.c). */
typedef struct
{
  gboolean busy;
  guint    pages;  /* asked for since the pull round began */
} KuuSyncInitiatives;

struct _KuuSync
{
  GObject             parent_instance;

  KuuStore           *store;
  SoupSession        *session;
  char               *base_uri;
  char               *token;
  GCancellable       *cancellable;  /* replaced at each stop */
  gboolean            running;
  gulong              network_id;

  KuuSyncPush         push;
  KuuSyncRegion       region;
  KuuSyncInitiatives  initiatives;

  guint               pull_id;
  guint               pull_seconds;
  gint64              last_pull;    /* monotonic µs; 0 before the first */

  KuuSyncState        state;
  gint64              last_success;
  char               *last_error;
  KuuSyncSource       error_source; /* what set last_error; its success clears it */
  guint               delivered;
  guint               pending;
  guint               rejected;
};

/* kuu-sync.c: the properties, signals and helpers every job uses */
void          _kuu_sync_set_state            (KuuSync             *self,
                                              KuuSyncState         state);
void          _kuu_sync_set_last_error       (KuuSync             *self,
                                              KuuSyncSource        source,
                                              const char          *message);
void          _kuu_sync_set_counts           (KuuSync             *self,
                                              gint64               pending,
                                              gint64               rejected);
void          _kuu_sync_add_delivered        (KuuSync             *self,
                                              guint                delivered);
void          _kuu_sync_touch_last_success   (KuuSync             *self);
void          _kuu_sync_note_success         (KuuSync             *self,
                                              KuuSyncSource        source);
void          _kuu_sync_refuse_token         (KuuSync             *self);
void          _kuu_sync_emit_region_changed  (KuuSync             *self,
                                              const char          *path);
void          _kuu_sync_emit_initiatives_changed (KuuSync         *self,
                                                  guint            changed);
SoupMessage  *_kuu_sync_new_message          (KuuSync             *self,
                                              const char          *method,
                                              const char          *path);
void          _kuu_sync_run_in_thread        (KuuSync             *self,
                                              gpointer             data,
                                              GDestroyNotify       destroy,
                                              GTaskThreadFunc      func,
                                              GAsyncReadyCallback  callback);
gpointer      _kuu_sync_pull_new             (KuuSync             *self,
                                              gsize                size,
                                              GDestroyNotify       clear);
void          _kuu_sync_pull_unref           (gpointer             pull);
void          _kuu_sync_pull_run_in_thread   (gpointer             pull,
                                              GTaskThreadFunc      func,
                                              GAsyncReadyCallback  callback);
void          _kuu_sync_pull_send            (gpointer             pull,
                                              SoupMessage         *message,
                                              GAsyncReadyCallback  callback);
void          _kuu_sync_pull_end             (KuuSync             *self,
                                              gboolean            *busy,
                                              KuuSyncSource        source,
                                              const GError        *error);
gboolean      _kuu_sync_pull_answer_usable   (KuuSync             *self,
                                              KuuSyncSource        source,
                                              SoupMessage         *message,
                                              GBytes              *bytes,
                                              GError              *error,
                                              const char          *what);
void          _kuu_sync_maybe_pull           (KuuSync             *self);
gboolean      _kuu_is_visible_ascii          (const char          *value,
                                              gsize                max_length);

/* kuu-sync-push.c */
void          _kuu_sync_push_init            (KuuSync             *self);
void          _kuu_sync_push_attempt         (KuuSync             *self);
void          _kuu_sync_push_stop            (KuuSync             *self);
GPtrArray    *_kuu_sync_parse_results        (GBytes              *bytes,
                                              GPtrArray           *uuids,
                                              GError             **error);

/* kuu-sync-region.c */
void          _kuu_sync_region_pull          (KuuSync             *self);
void          _kuu_sync_region_stop          (KuuSync             *self);
void          _kuu_sync_region_clear         (KuuSync             *self);

/* kuu-sync-initiatives.c */
void          _kuu_sync_initiatives_pull     (KuuSync             *self);
void          _kuu_sync_initiatives_stop     (KuuSync             *self);

/* kuu-enrol.c */
KuuEnrolment *_kuu_sync_parse_enrolment      (GBytes              *bytes,
                                              GError             **error);

G_END_DECLS
