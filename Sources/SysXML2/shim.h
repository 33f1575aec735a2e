#ifndef CONTACTS_SYSXML2_SHIM_H
#define CONTACTS_SYSXML2_SHIM_H
#include <libxml/xmlversion.h>
/* Debian builds libxml2 with ICU; its headers clash with Foundation's ICU. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>

/* xmlFree is a mutable C global Swift 6 refuses to touch. */
static inline void sysxml2_free(void *p) { xmlFree(p); }
#endif
