/* kuu-desk-client.h: the region desk's conversation with the server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KUU_DESK_ERROR (kuu_desk_error_quark ())

typedef enum
{
  KUU_DESK_ERROR_BAD_CODE,      /* a wrong, used or expired sign-in code */
  KUU_DESK_ERROR_REVOKED,       /* the token was revoked or signed out */
  KUU_DESK_ERROR_UNAUTHORIZED,  /* a token the server does not know */
  KUU_DESK_ERROR_FORBIDDEN,     /* the staff member's role does not allow it */
  KUU_DESK_ERROR_RATE_LIMITED,  /* too many tries: wait */
  KUU_DESK_ERROR_UNREACHABLE,   /* no answer from the server */
  KUU_DESK_ERROR_SERVER,        /* an answer that is not the protocol */
} KuuDeskError;

/* Who signed in: what /staff/sign-in and /staff/me say. */
typedef struct
{
  char *id;
  char *name;
  char *role;    /* viewer, handler or admin */
  char *region;
  char *token;   /* only from sign-in; wiped when freed */
} KuuDeskStaff;

#define KUU_TYPE_DESK_CLIENT (kuu_desk_client_get_type ())

G_DECLARE_FINAL_TYPE (KuuDeskClient, kuu_desk_client, KUU, DESK_CLIENT, GObject)

GQuark         kuu_desk_error_quark        (void);
KuuDeskStaff  *kuu_desk_staff_copy         (const KuuDeskStaff *staff);
void           kuu_desk_staff_free         (KuuDeskStaff *staff);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuDeskStaff, kuu_desk_staff_free)

KuuDeskClient *kuu_desk_client_new         (const char     *server_url);
const char    *kuu_desk_client_get_server_url (KuuDeskClient *self);
void           kuu_desk_client_set_token   (KuuDeskClient  *self,
                                            const char     *token);
gboolean       kuu_desk_client_has_token   (KuuDeskClient  *self);

void           kuu_desk_client_sign_in_async  (KuuDeskClient       *self,
                                               const char          *code,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
KuuDeskStaff  *kuu_desk_client_sign_in_finish (KuuDeskClient  *self,
                                               GAsyncResult   *result,
                                               GError        **error);
void           kuu_desk_client_sign_out_async  (KuuDeskClient       *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       kuu_desk_client_sign_out_finish (KuuDeskClient  *self,
                                                GAsyncResult   *result,
                                                GError        **error);
void           kuu_desk_client_get_json_async  (KuuDeskClient       *self,
                                                const char          *path_and_query,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
JsonNode      *kuu_desk_client_get_json_finish (KuuDeskClient  *self,
                                                GAsyncResult   *result,
                                                GBytes        **out_body,
                                                GError        **error);
void           kuu_desk_client_download_async  (KuuDeskClient       *self,
                                                const char          *path_and_query,
                                                GFile               *destination,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       kuu_desk_client_download_finish (KuuDeskClient  *self,
                                                GAsyncResult   *result,
                                                GError        **error);

G_END_DECLS
