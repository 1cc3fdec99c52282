/* kuu-server-storage.h: what the reference server keeps, whatever keeps it
 *
 * Devices, their enrolment codes, the records they delivered, the
 * initiatives' statuses and answers, the administrators' tokens, the
 * staff accounts with their sign-in codes and tokens, and the audit log.
 * KuuServerStore (SQLite) implements this interface; PostgreSQL can
 * follow as a second implementation. The types it speaks in are here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-initiatives.h"
#include "kuu-nps.h"
#include "kuu-submission.h"

G_BEGIN_DECLS

#define KUU_SERVER_STORE_ERROR (kuu_server_store_error_quark ())

typedef enum
{
  KUU_SERVER_STORE_ERROR_FAILED,
  KUU_SERVER_STORE_ERROR_CODE_USED,     /* unknown, used or expired enrolment code */
  KUU_SERVER_STORE_ERROR_NOT_FOUND,
  KUU_SERVER_STORE_ERROR_INVALID,       /* an argument the store cannot take */
} KuuServerStoreError;

/* Who a bearer token belongs to. */
typedef enum
{
  KUU_ROLE_DEVICE,  /* a kiosk: delivers records, reads its region */
  KUU_ROLE_READER,  /* reads reports, without contact details */
  KUU_ROLE_ADMIN,   /* reads reports, contact details included */
  /* A staff member's (one person, one region): */
  KUU_ROLE_VIEWER,       /* the region's results */
  KUU_ROLE_HANDLER,      /* results, and cases (later) */
  KUU_ROLE_STAFF_ADMIN,  /* also exports with contacts, devices, staff */
} KuuRole;

typedef struct
{
  KuuRole  role;
  char    *id;      /* the device's, the admin token's or the staff member's id */
  char    *region;  /* a device's or staff member's region; NULL for reader and admin */
  char    *name;    /* a staff member's name; NULL for the others */
} KuuPrincipal;

/* A staff account: one person, scoped to one region. */
typedef struct
{
  char    *id;
  char    *name;
  KuuRole  role;             /* viewer, handler or staff admin */
  char    *region;
  gint64   created_at;       /* seconds since the epoch */
  gint64   last_sign_in_at;  /* 0: never */
  gint64   revoked_at;       /* 0: not revoked */
} KuuStaff;

/* One line of the audit log. */
typedef struct
{
  gint64  at;          /* seconds since the epoch */
  char   *action;
  char   *subject;     /* what it was about: a staff id, a device, a period */
  char   *detail;      /* nullable: what came of it */
  char   *staff_id;    /* nullable: who did it, a staff member or a token */
  char   *staff_name;  /* nullable */
  char   *address;     /* nullable: the client's address, for a request */
} KuuAuditEntry;

/* An initiative the region has taken up, as the kiosks may see it: no
 * contact details. */
typedef struct
{
  gint64               seq;         /* the change sequence: the cursor */
  char                *uuid;
  char                *title;
  char                *text;
  char                *municipality;
  char                *received_on;
  KuuInitiativeStatus  status;
  char                *answer;      /* nullable */
  gint64               updated_at;  /* seconds since the epoch */
} KuuServerInitiative;

/* Which records a report reads: [since, until) in seconds, by the time
 * the record was made on the kiosk. */
typedef enum
{
  KUU_REPORT_GROUP_REGION = 1 << 0,
  KUU_REPORT_GROUP_TOPIC  = 1 << 1,
  KUU_REPORT_GROUP_UNIT   = 1 << 2,
  KUU_REPORT_GROUP_MONTH  = 1 << 3,
} KuuReportGroup;

typedef struct
{
  const char      *region;        /* NULL: every region */
  gboolean         any_audience;  /* TRUE: do not filter on @audience */
  KuuAudience      audience;
  gint64           since;
  gint64           until;
  KuuReportGroup   group;
} KuuReportQuery;

/* One row of an NPS report; the members not grouped by are NULL. */
typedef struct
{
  char         *region;
  char         *topic_kind;
  char         *topic_id;
  char         *unit;
  char         *month;  /* YYYY-MM */
  KuuNpsCounts  counts;
} KuuNpsRow;

/* How the results' answers are counted in time (kuu-server-results.c):
 * not at all, by calendar month (UTC), or by ISO week. */
typedef enum
{
  KUU_BUCKET_NONE,
  KUU_BUCKET_MONTH,
  KUU_BUCKET_WEEK,
} KuuBucket;

/* The answers of one region and audience made in [since, until). */
typedef struct
{
  const char  *region;
  KuuAudience  audience;
  gint64       since;
  gint64       until;
  KuuBucket    bucket;
  gboolean     scores_only;  /* no statements' answers (they are read from the stored JSON) */
} KuuResultsSelect;

/* How many recommendations gave @value as their score (@statement
 * NULL), or @value (1–5) to @statement, per topic, unit and bucket:
 * "YYYY-MM" by month, the Thursday of the ISO week ("YYYY-MM-DD") by
 * week, NULL without. */
typedef struct
{
  char  *topic_kind;
  char  *topic_id;
  char  *unit;
  char  *bucket;
  char  *statement;
  int    value;
  guint  count;
} KuuResultRow;

/* One record for an export: as stored, with the unit the device was
 * enrolled for and its contact (unless erased: then @contact_erased_at
 * is when, in seconds, else 0), and the initiative's status and answer
 * when it has them. */
typedef gboolean (*KuuRecordFunc) (const KuuSubmission *record,
                                   gint64               received_at,
                                   const char          *status,
                                   const char          *answer,
                                   gint64               contact_erased_at,
                                   gpointer             user_data);

/* One record a device delivered, for kuulolla-server admin device. */
typedef struct
{
  char   *uuid;
  char   *kind;
  char   *unit;         /* the device's, as stored */
  gint64  created_at;   /* seconds since the epoch */
  gint64  received_at;
  char   *status;       /* nullable: an initiative the region took up */
} KuuDeviceRecord;

typedef enum
{
  KUU_RECORD_ACCEPTED,
  KUU_RECORD_DUPLICATE,
  KUU_RECORD_CONFLICT,  /* the UUID is taken by different content */
} KuuRecordOutcome;

#define KUU_TYPE_SERVER_STORAGE (kuu_server_storage_get_type ())

G_DECLARE_INTERFACE (KuuServerStorage, kuu_server_storage, KUU, SERVER_STORAGE, GObject)

struct _KuuServerStorageInterface
{
  GTypeInterface parent_iface;

  KuuServerStorage *(*open_reader) (KuuServerStorage  *self,
                                    GError           **error);
  KuuServerStorage *(*open_writer) (KuuServerStorage  *self,
                                    GError           **error);
  char *(*add_enrolment_code) (KuuServerStorage  *self,
                               const char        *region,
                               const char        *unit,
                               GTimeSpan          valid_for,
                               GError           **error);
  gboolean (*enrol) (KuuServerStorage  *self,
                     const char        *code,
                     char             **out_device_id,
                     char             **out_token,
                     char             **out_region,
                     GError           **error);
  KuuPrincipal *(*authenticate) (KuuServerStorage *self,
                                 const char       *token);
  char *(*add_admin_token) (KuuServerStorage  *self,
                            KuuRole            role,
                            const char        *name,
                            char             **out_id,
                            GError           **error);
  gboolean (*revoke) (KuuServerStorage  *self,
                      const char        *device_id,
                      GError           **error);
  gboolean (*begin_batch) (KuuServerStorage  *self,
                           GError           **error);
  gboolean (*end_batch) (KuuServerStorage  *self,
                         gboolean           commit,
                         GError           **error);
  gboolean (*add_record) (KuuServerStorage     *self,
                          const char           *device_id,
                          const KuuSubmission  *record,
                          KuuRecordOutcome     *out_outcome,
                          GError              **error);
  GPtrArray *(*list_device_records) (KuuServerStorage  *self,
                                     const char        *device_id,
                                     gint64             since,
                                     GError           **error);
  gboolean (*purge_device) (KuuServerStorage  *self,
                            const char        *device_id,
                            gint64             since,
                            guint             *out_records,
                            guint             *out_initiatives,
                            GError           **error);
  gboolean (*erase_contact) (KuuServerStorage  *self,
                             const char        *uuid,
                             gboolean          *out_checkpointed,
                             GError           **error);
  gboolean (*audit) (KuuServerStorage  *self,
                     const char        *action,
                     const char        *subject,
                     const char        *detail,
                     GError           **error);
  gboolean (*set_initiative) (KuuServerStorage     *self,
                              const char           *uuid,
                              KuuInitiativeStatus   status,
                              const char           *answer,
                              GError              **error);
  GPtrArray *(*list_initiatives) (KuuServerStorage  *self,
                                  const char        *region,
                                  gint64             after,
                                  guint              limit,
                                  GError           **error);
  gint64 (*last_initiative_change) (KuuServerStorage  *self,
                                    const char        *region,
                                    GError           **error);
  GPtrArray *(*nps_report) (KuuServerStorage      *self,
                            const KuuReportQuery  *query,
                            GError               **error);
  gboolean (*foreach_record) (KuuServerStorage      *self,
                              const KuuReportQuery  *query,
                              KuuRecordFunc          func,
                              gpointer               user_data,
                              GError               **error);
  GPtrArray *(*result_rows) (KuuServerStorage        *self,
                             const KuuResultsSelect  *select,
                             GError                 **error);
  char *(*add_staff) (KuuServerStorage  *self,
                      const char        *region,
                      const char        *name,
                      KuuRole            role,
                      GTimeSpan          valid_for,
                      char             **out_id,
                      GError           **error);
  GPtrArray *(*list_staff) (KuuServerStorage  *self,
                            const char        *region,
                            GError           **error);
  gboolean (*revoke_staff) (KuuServerStorage  *self,
                            const char        *id,
                            GError           **error);
  KuuStaff *(*sign_in_staff) (KuuServerStorage  *self,
                              const char        *code,
                              char             **out_token,
                              GError           **error);
  gboolean (*sign_out_staff) (KuuServerStorage  *self,
                              const char        *token,
                              GError           **error);
  gboolean (*token_is_revoked) (KuuServerStorage *self,
                                const char       *token);
  gboolean (*add_audit) (KuuServerStorage     *self,
                         const KuuAuditEntry  *entry,
                         GError              **error);
  GPtrArray *(*list_audit) (KuuServerStorage  *self,
                            gint64             since,
                            const char        *staff_id,
                            GError           **error);
};

KuuServerStorage *kuu_server_storage_open_reader            (KuuServerStorage  *self,
                                                             GError           **error);
KuuServerStorage *kuu_server_storage_open_writer            (KuuServerStorage  *self,
                                                             GError           **error);
char             *kuu_server_storage_add_enrolment_code     (KuuServerStorage  *self,
                                                             const char        *region,
                                                             const char        *unit,
                                                             GTimeSpan          valid_for,
                                                             GError           **error);
gboolean          kuu_server_storage_enrol                  (KuuServerStorage  *self,
                                                             const char        *code,
                                                             char             **out_device_id,
                                                             char             **out_token,
                                                             char             **out_region,
                                                             GError           **error);
KuuPrincipal     *kuu_server_storage_authenticate           (KuuServerStorage *self,
                                                             const char       *token);
char             *kuu_server_storage_add_admin_token        (KuuServerStorage  *self,
                                                             KuuRole            role,
                                                             const char        *name,
                                                             char             **out_id,
                                                             GError           **error);
gboolean          kuu_server_storage_revoke                 (KuuServerStorage  *self,
                                                             const char        *device_id,
                                                             GError           **error);
gboolean          kuu_server_storage_begin_batch            (KuuServerStorage  *self,
                                                             GError           **error);
gboolean          kuu_server_storage_end_batch              (KuuServerStorage  *self,
                                                             gboolean           commit,
                                                             GError           **error);
gboolean          kuu_server_storage_add_record             (KuuServerStorage     *self,
                                                             const char           *device_id,
                                                             const KuuSubmission  *record,
                                                             KuuRecordOutcome     *out_outcome,
                                                             GError              **error);
GPtrArray        *kuu_server_storage_list_device_records    (KuuServerStorage  *self,
                                                             const char        *device_id,
                                                             gint64             since,
                                                             GError           **error);
gboolean          kuu_server_storage_purge_device           (KuuServerStorage  *self,
                                                             const char        *device_id,
                                                             gint64             since,
                                                             guint             *out_records,
                                                             guint             *out_initiatives,
                                                             GError           **error);
gboolean          kuu_server_storage_erase_contact          (KuuServerStorage  *self,
                                                             const char        *uuid,
                                                             gboolean          *out_checkpointed,
                                                             GError           **error);
gboolean          kuu_server_storage_audit                  (KuuServerStorage  *self,
                                                             const char        *action,
                                                             const char        *subject,
                                                             const char        *detail,
                                                             GError           **error);
gboolean          kuu_server_storage_set_initiative         (KuuServerStorage     *self,
                                                             const char           *uuid,
                                                             KuuInitiativeStatus   status,
                                                             const char           *answer,
                                                             GError              **error);
GPtrArray        *kuu_server_storage_list_initiatives       (KuuServerStorage  *self,
                                                             const char        *region,
                                                             gint64             after,
                                                             guint              limit,
                                                             GError           **error);
gint64            kuu_server_storage_last_initiative_change (KuuServerStorage  *self,
                                                             const char        *region,
                                                             GError           **error);
GPtrArray        *kuu_server_storage_nps_report             (KuuServerStorage      *self,
                                                             const KuuReportQuery  *query,
                                                             GError               **error);
gboolean          kuu_server_storage_foreach_record         (KuuServerStorage      *self,
                                                             const KuuReportQuery  *query,
                                                             KuuRecordFunc          func,
                                                             gpointer               user_data,
                                                             GError               **error);
GPtrArray        *kuu_server_storage_result_rows            (KuuServerStorage        *self,
                                                             const KuuResultsSelect  *select,
                                                             GError                 **error);
char             *kuu_server_storage_add_staff              (KuuServerStorage  *self,
                                                             const char        *region,
                                                             const char        *name,
                                                             KuuRole            role,
                                                             GTimeSpan          valid_for,
                                                             char             **out_id,
                                                             GError           **error);
GPtrArray        *kuu_server_storage_list_staff             (KuuServerStorage  *self,
                                                             const char        *region,
                                                             GError           **error);
gboolean          kuu_server_storage_revoke_staff           (KuuServerStorage  *self,
                                                             const char        *id,
                                                             GError           **error);
KuuStaff         *kuu_server_storage_sign_in_staff          (KuuServerStorage  *self,
                                                             const char        *code,
                                                             char             **out_token,
                                                             GError           **error);
gboolean          kuu_server_storage_sign_out_staff         (KuuServerStorage  *self,
                                                             const char        *token,
                                                             GError           **error);
gboolean          kuu_server_storage_token_is_revoked       (KuuServerStorage  *self,
                                                             const char        *token);
gboolean          kuu_server_storage_add_audit              (KuuServerStorage     *self,
                                                             const KuuAuditEntry  *entry,
                                                             GError              **error);
GPtrArray        *kuu_server_storage_list_audit             (KuuServerStorage  *self,
                                                             gint64             since,
                                                             const char        *staff_id,
                                                             GError           **error);

GQuark          kuu_server_store_error_quark (void);



const char     *kuu_role_to_string                (KuuRole              role);
gboolean        kuu_role_from_string              (const char           *name,
                                                   KuuRole              *out_role);
gboolean        kuu_staff_role_from_string        (const char           *name,
                                                   KuuRole              *out_role);
gboolean        kuu_role_is_staff                 (KuuRole               role);

void            kuu_principal_free                (KuuPrincipal         *principal);
void            kuu_server_initiative_free        (KuuServerInitiative  *initiative);
void            kuu_nps_row_free                  (KuuNpsRow            *row);
void            kuu_device_record_free            (KuuDeviceRecord      *record);
void            kuu_staff_free                    (KuuStaff             *staff);
void            kuu_result_row_free               (KuuResultRow         *row);
void            kuu_audit_entry_free              (KuuAuditEntry        *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuPrincipal, kuu_principal_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuStaff, kuu_staff_free)

G_END_DECLS
