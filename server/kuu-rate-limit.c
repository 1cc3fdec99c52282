/* kuu-rate-limit.c
 *
 * A token bucket per key: it holds at most per_minute tokens, refills at
 * per_minute a minute, and each request takes one. A burst of a full
 * minute's worth is allowed at once; after that, one request per
 * 60/per_minute seconds.
 *
 * Memory is bounded: at most max_keys buckets, the least recently used
 * one evicted first. An evicted bucket starts full again when its key
 * comes back, which only ever errs towards letting a client in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "kuu-rate-limit.h"

typedef struct
{
  char   *key;
  double  tokens;
  gint64  updated;  /* monotonic µs */
  GList   link;     /* in the LRU queue; data is the bucket */
} Bucket;

struct _KuuRateLimit
{
  GObject     parent_instance;

  double      capacity;
  double      per_usec;  /* tokens a microsecond */
  guint       max_keys;
  GHashTable *buckets;   /* key → Bucket, owned */
  GQueue      lru;       /* most recently used at the head */
};

G_DEFINE_FINAL_TYPE (KuuRateLimit, kuu_rate_limit, G_TYPE_OBJECT)

static void
bucket_free (Bucket *bucket)
{
  g_free (bucket->key);
  g_free (bucket);
}

static void
refill (KuuRateLimit *self,
        Bucket       *bucket,
        gint64        now)
{
  bucket->tokens = MIN (self->capacity, bucket->tokens + (now - bucket->updated) * self->per_usec);
  bucket->updated = now;
}

static void
evict_oldest (KuuRateLimit *self)
{
  GList *oldest = g_queue_peek_tail_link (&self->lru);
  Bucket *bucket = oldest->data;

  g_queue_unlink (&self->lru, oldest);
  g_hash_table_remove (self->buckets, bucket->key);
}

static Bucket *
find_bucket (KuuRateLimit *self,
             const char   *key,
             gint64        now)
{
  Bucket *bucket = g_hash_table_lookup (self->buckets, key);

  if (bucket != NULL)
    {
      g_queue_unlink (&self->lru, &bucket->link);
      g_queue_push_head_link (&self->lru, &bucket->link);
      refill (self, bucket, now);
      return bucket;
    }

  if (g_hash_table_size (self->buckets) >= self->max_keys)
    evict_oldest (self);
  bucket = g_new0 (Bucket, 1);
  bucket->key = g_strdup (key);
  bucket->tokens = self->capacity;
  bucket->updated = now;
  bucket->link.data = bucket;
  g_hash_table_insert (self->buckets, bucket->key, bucket);
  g_queue_push_head_link (&self->lru, &bucket->link);
  return bucket;
}

/* Whole seconds until the bucket holds one token again; at least 1. */
static guint
seconds_to_wait (KuuRateLimit *self,
                 Bucket       *bucket)
{
  double usec = (1.0 - bucket->tokens) / self->per_usec;

  return MAX (1, (guint)ceil (usec / G_USEC_PER_SEC));
}

static void
kuu_rate_limit_finalize (GObject *object)
{
  KuuRateLimit *self = (KuuRateLimit *)object;

  /* The links live in the buckets: the queue owns nothing to free. */
  g_queue_init (&self->lru);
  g_clear_pointer (&self->buckets, g_hash_table_unref);

  G_OBJECT_CLASS (kuu_rate_limit_parent_class)->finalize (object);
}

static void
kuu_rate_limit_class_init (KuuRateLimitClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kuu_rate_limit_finalize;
}

static void
kuu_rate_limit_init (KuuRateLimit *self)
{
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)bucket_free);
  g_queue_init (&self->lru);
}

/**
 * kuu_rate_limit_new:
 * @per_minute: requests a minute a key may make, and its burst
 * @max_keys: at most this many keys remembered
 */
KuuRateLimit *
kuu_rate_limit_new (guint per_minute,
                    guint max_keys)
{
  KuuRateLimit *self;

  g_return_val_if_fail (per_minute > 0, NULL);
  g_return_val_if_fail (max_keys > 0, NULL);

  self = g_object_new (KUU_TYPE_RATE_LIMIT, NULL);
  self->capacity = per_minute;
  self->per_usec = per_minute / (60.0 * G_USEC_PER_SEC);
  self->max_keys = max_keys;
  return self;
}

/**
 * kuu_rate_limit_take:
 * @out_retry_after: (out): when refused, seconds until a request would pass
 *
 * Returns: %TRUE when @key may make this request (and it is counted)
 */
gboolean
kuu_rate_limit_take (KuuRateLimit *self,
                     const char   *key,
                     guint        *out_retry_after)
{
  Bucket *bucket;

  g_return_val_if_fail (KUU_IS_RATE_LIMIT (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  bucket = find_bucket (self, key, g_get_monotonic_time ());
  if (bucket->tokens >= 1.0)
    {
      bucket->tokens -= 1.0;
      return TRUE;
    }
  if (out_retry_after != NULL)
    *out_retry_after = seconds_to_wait (self, bucket);
  return FALSE;
}

/**
 * kuu_rate_limit_is_exhausted:
 *
 * Like kuu_rate_limit_take(), but counts nothing.
 *
 * Returns: %TRUE when a request of @key would be refused now
 */
gboolean
kuu_rate_limit_is_exhausted (KuuRateLimit *self,
                             const char   *key,
                             guint        *out_retry_after)
{
  Bucket *bucket;

  g_return_val_if_fail (KUU_IS_RATE_LIMIT (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  bucket = g_hash_table_lookup (self->buckets, key);
  if (bucket == NULL)
    return FALSE;
  refill (self, bucket, g_get_monotonic_time ());
  if (bucket->tokens >= 1.0)
    return FALSE;
  if (out_retry_after != NULL)
    *out_retry_after = seconds_to_wait (self, bucket);
  return TRUE;
}

guint
kuu_rate_limit_get_n_keys (KuuRateLimit *self)
{
  g_return_val_if_fail (KUU_IS_RATE_LIMIT (self), 0);

  return g_hash_table_size (self->buckets);
}
