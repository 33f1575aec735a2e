#ifndef CONTACTS_SYSSQLITE3_SHIM_H
#define CONTACTS_SYSSQLITE3_SHIM_H
#include <sqlite3.h>

/* SQLITE_STATIC and SQLITE_TRANSIENT are macros Swift cannot import. */
static inline sqlite3_destructor_type syssqlite3_static(void) { return SQLITE_STATIC; }
static inline sqlite3_destructor_type syssqlite3_transient(void) { return SQLITE_TRANSIENT; }
static inline int syssqlite3_bind_text_static(sqlite3_stmt *s, int i, const char *p, int n) {
    return sqlite3_bind_text(s, i, p, n, SQLITE_STATIC);
}
static inline int syssqlite3_bind_text_transient(sqlite3_stmt *s, int i, const char *p, int n) {
    return sqlite3_bind_text(s, i, p, n, SQLITE_TRANSIENT);
}
#endif
