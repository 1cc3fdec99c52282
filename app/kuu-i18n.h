/* kuu-i18n.h: the language the interface speaks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-language.h"

G_BEGIN_DECLS

void kuu_i18n_use_language (KuuLanguage language);

G_END_DECLS
