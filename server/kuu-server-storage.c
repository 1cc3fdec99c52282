/* kuu-server-storage.c
 *
 * The interface's dispatchers. A GInterface rather than an abstract base
 * class: the SQLite and a later PostgreSQL implementation share no state
 * and no code, only these operations; KuuServerStore stays a final type,
 * and a test may implement the interface with a double of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-server-storage.h"

G_DEFINE_INTERFACE (KuuServerStorage, kuu_server_storage, G_TYPE_OBJECT)

static void
kuu_server_storage_default_init (KuuServerStorageInterface *iface)
{
}

KuuServerStorage *
kuu_server_storage_open_reader (KuuServerStorage  *self,
                                GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), NULL);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->open_reader (self, error);
}

KuuServerStorage *
kuu_server_storage_open_writer (KuuServerStorage  *self,
                                GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), NULL);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->open_writer (self, error);
}

char *
kuu_server_storage_add_enrolment_code (KuuServerStorage  *self,
                                       const char        *region,
                                       const char        *unit,
                                       GTimeSpan          valid_for,
                                       GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), NULL);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->add_enrolment_code (self, region, unit, valid_for, error);
}

gboolean
kuu_server_storage_enrol (KuuServerStorage  *self,
                          const char        *code,
                          char             **out_device_id,
                          char             **out_token,
                          char             **out_region,
                          GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), FALSE);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->enrol (self, code, out_device_id, out_token, out_region, error);
}

KuuPrincipal *
kuu_server_storage_authenticate (KuuServerStorage *self,
                                 const char       *token)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), NULL);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->authenticate (self, token);
}

char *
kuu_server_storage_add_admin_token (KuuServerStorage  *self,
                                    KuuRole            role,
                                    const char        *name,
                                    char             **out_id,
                                    GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), NULL);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->add_admin_token (self, role, name, out_id, error);
}

gboolean
kuu_server_storage_revoke (KuuServerStorage  *self,
                           const char        *device_id,
                           GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), FALSE);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->revoke (self, device_id, error);
}

gboolean
kuu_server_storage_begin_batch (KuuServerStorage  *self,
                                GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), FALSE);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->begin_batch (self, error);
}

gboolean
kuu_server_storage_end_batch (KuuServerStorage  *self,
                              gboolean           commit,
                              GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), FALSE);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->end_batch (self, commit, error);
}

gboolean
kuu_server_storage_add_record (KuuServerStorage     *self,
                               const char           *device_id,
                               const KuuSubmission  *record,
                               KuuRecordOutcome     *out_outcome,
                               GError              **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), FALSE);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->add_record (self, device_id, record, out_outcome, error);
}

GPtrArray *
kuu_server_storage_list_device_records (KuuServerStorage  *self,
                                        const char        *device_id,
                                        gint64             since,
                                        GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), NULL);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->list_device_records (self, device_id, since, error);
}

gboolean
kuu_server_storage_purge_device (KuuServerStorage  *self,
                                 const char        *device_id,
                                 gint64             since,
                                 guint             *out_records,
                                 guint             *out_initiatives,
                                 GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), FALSE);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->purge_device (self, device_id, since, out_records, out_initiatives, error);
}

gboolean
kuu_server_storage_erase_contact (KuuServerStorage  *self,
                                  const char        *uuid,
                                  gboolean          *out_checkpointed,
                                  GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), FALSE);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->erase_contact (self, uuid, out_checkpointed, error);
}

gboolean
kuu_server_storage_audit (KuuServerStorage  *self,
                          const char        *action,
                          const char        *subject,
                          const char        *detail,
                          GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), FALSE);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->audit (self, action, subject, detail, error);
}

gboolean
kuu_server_storage_set_initiative (KuuServerStorage     *self,
                                   const char           *uuid,
                                   KuuInitiativeStatus   status,
                                   const char           *answer,
                                   GError              **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), FALSE);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->set_initiative (self, uuid, status, answer, error);
}

GPtrArray *
kuu_server_storage_list_initiatives (KuuServerStorage  *self,
                                     const char        *region,
                                     gint64             after,
                                     guint              limit,
                                     GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), NULL);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->list_initiatives (self, region, after, limit, error);
}

gint64
kuu_server_storage_last_initiative_change (KuuServerStorage  *self,
                                           const char        *region,
                                           GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), -1);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->last_initiative_change (self, region, error);
}

GPtrArray *
kuu_server_storage_nps_report (KuuServerStorage      *self,
                               const KuuReportQuery  *query,
                               GError               **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), NULL);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->nps_report (self, query, error);
}

gboolean
kuu_server_storage_foreach_record (KuuServerStorage      *self,
                                   const KuuReportQuery  *query,
                                   KuuRecordFunc          func,
                                   gpointer               user_data,
                                   GError               **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), FALSE);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->foreach_record (self, query, func, user_data, error);
}

char *
kuu_server_storage_add_staff (KuuServerStorage  *self,
                              const char        *region,
                              const char        *name,
                              KuuRole            role,
                              GTimeSpan          valid_for,
                              char             **out_id,
                              GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (kuu_role_is_staff (role), NULL);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->add_staff (self, region, name, role, valid_for, out_id, error);
}

GPtrArray *
kuu_server_storage_list_staff (KuuServerStorage  *self,
                               const char        *region,
                               GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), NULL);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->list_staff (self, region, error);
}

gboolean
kuu_server_storage_revoke_staff (KuuServerStorage  *self,
                                 const char        *id,
                                 GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), FALSE);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->revoke_staff (self, id, error);
}

KuuStaff *
kuu_server_storage_sign_in_staff (KuuServerStorage  *self,
                                  const char        *code,
                                  char             **out_token,
                                  GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), NULL);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->sign_in_staff (self, code, out_token, error);
}

gboolean
kuu_server_storage_sign_out_staff (KuuServerStorage  *self,
                                   const char        *token,
                                   GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), FALSE);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->sign_out_staff (self, token, error);
}

gboolean
kuu_server_storage_token_is_revoked (KuuServerStorage *self,
                                     const char       *token)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), FALSE);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->token_is_revoked (self, token);
}

gboolean
kuu_server_storage_add_audit (KuuServerStorage     *self,
                              const KuuAuditEntry  *entry,
                              GError              **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), FALSE);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->add_audit (self, entry, error);
}

GPtrArray *
kuu_server_storage_list_audit (KuuServerStorage  *self,
                               gint64             since,
                               const char        *staff_id,
                               GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), NULL);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->list_audit (self, since, staff_id, error);
}

GPtrArray *
kuu_server_storage_result_rows (KuuServerStorage        *self,
                                const KuuResultsSelect  *select,
                                GError                 **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (select != NULL && select->region != NULL, NULL);

  return KUU_SERVER_STORAGE_GET_IFACE (self)->result_rows (self, select, error);
}
