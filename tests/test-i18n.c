/* test-i18n.c: numbers, dates and times are written in the language the
 * page is shown in, which a kiosk switches per resident at runtime:
 * decimal comma, grouped thousands and day.month.year in Finnish and
 * Swedish, the point and ISO dates in English, whatever the process's
 * locale says.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>

#include "kuu-i18n.h"

typedef struct
{
  KuuLanguage  language;
  const char  *decimal;   /* 8.46 to one digit */
  const char  *negative;  /* −3.25 to two */
  const char  *zero;      /* −0.04 to one: no sign */
  const char  *margin;    /* ±8.46 */
  const char  *percent;   /* 45.4 % */
  const char  *count;     /* 1234567 */
  const char  *date;      /* 2026-11-20 */
  const char  *minute;
  const char  *second;
} Expected;

static const Expected expected[] = {
  { KUU_LANGUAGE_FI, "8,5", "−3,25", "0,0", "±8,5", "45\u00a0%", "1\u00a0234\u00a0567",
    "20.11.2026", "20.11.2026 14.05", "20.11.2026 14.05.09" },
  { KUU_LANGUAGE_SV, "8,5", "−3,25", "0,0", "±8,5", "45\u00a0%", "1\u00a0234\u00a0567",
    "20.11.2026", "20.11.2026 14.05", "20.11.2026 14.05.09" },
  { KUU_LANGUAGE_EN, "8.5", "−3.25", "0.0", "±8.5", "45%", "1,234,567",
    "2026-11-20", "2026-11-20 14:05", "2026-11-20 14:05:09" },
};

#define CHECK(call, want) \
  G_STMT_START { g_autofree char *got = (call); g_assert_cmpstr (got, ==, (want)); } G_STMT_END

static void
check (const Expected *e)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Helsinki");
  g_autoptr(GDateTime) time = g_date_time_new (zone, 2026, 11, 20, 14, 5, 9);

  kuu_i18n_use_language (e->language);
  g_assert_cmpint (kuu_i18n_get_language (), ==, e->language);
  CHECK (kuu_i18n_format_decimal (8.46, 1), e->decimal);
  CHECK (kuu_i18n_format_decimal (-3.25, 2), e->negative);
  CHECK (kuu_i18n_format_decimal (-0.04, 1), e->zero);
  CHECK (kuu_i18n_format_margin (8.46), e->margin);
  CHECK (kuu_i18n_format_percent (45.4, 0), e->percent);
  CHECK (kuu_i18n_format_count (1234567), e->count);
  CHECK (kuu_i18n_format_count (999), "999");
  CHECK (kuu_i18n_format_index (29.4), "+29");
  CHECK (kuu_i18n_format_index (-7.5), "−8");
  CHECK (kuu_i18n_format_index (0.3), "0");
  CHECK (kuu_i18n_format_date ("2026-11-20"), e->date);
  CHECK (kuu_i18n_format_date ("not a date"), "not a date");
  CHECK (kuu_i18n_format_date_time (time, KUU_I18N_DAY), e->date);
  CHECK (kuu_i18n_format_date_time (time, KUU_I18N_MINUTE), e->minute);
  CHECK (kuu_i18n_format_date_time (time, KUU_I18N_SECOND), e->second);
}

static void
test_languages (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    check (&expected[i]);
}

/* A resident switches Finnish → English → Swedish at the kiosk: each
 * page formats by the language in force when it is built. */
static void
test_switch (void)
{
  check (&expected[0]);
  check (&expected[2]);
  check (&expected[1]);
  check (&expected[2]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/i18n/languages", test_languages);
  g_test_add_func ("/i18n/switch", test_switch);

  return g_test_run ();
}
