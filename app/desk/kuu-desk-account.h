/* kuu-desk-account.h: who is signed in at the desk, and where the token is kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kuu-desk-client.h"

G_BEGIN_DECLS

/* desk.ini: nothing secret, only the server and who signed in. */
KuuDeskStaff *kuu_desk_account_load        (char         **out_server_url);
void          kuu_desk_account_save_async  (const char    *server_url,
                                            KuuDeskStaff  *staff,
                                            GCancellable  *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer       user_data);
gboolean      kuu_desk_account_save_finish (GAsyncResult  *result,
                                            GError       **error);
void          kuu_desk_account_forget      (const char    *server_url);
char         *kuu_desk_account_path        (void);

/* The token, in the keyring (libsecret; the Secret portal in a Flatpak). */
void          kuu_desk_token_store_async   (const char    *server_url,
                                            const char    *staff_id,
                                            const char    *token,
                                            GCancellable  *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer       user_data);
gboolean      kuu_desk_token_store_finish  (GAsyncResult  *result,
                                            GError       **error);
void          kuu_desk_token_lookup_async  (const char    *server_url,
                                            GCancellable  *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer       user_data);
char         *kuu_desk_token_lookup_finish (GAsyncResult  *result,
                                            GError       **error);
void          kuu_desk_token_clear_async   (const char    *server_url,
                                            GCancellable  *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer       user_data);
gboolean      kuu_desk_token_clear_finish  (GAsyncResult  *result,
                                            GError       **error);

G_END_DECLS
