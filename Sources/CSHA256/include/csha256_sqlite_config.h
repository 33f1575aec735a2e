#ifndef CONTACTS_CSHA256_SQLITE_CONFIG_H
#define CONTACTS_CSHA256_SQLITE_CONFIG_H

/* Turns off SQLite's memory statistics, which take a global mutex on every allocation SQLite
   makes. Must run before SQLite is initialised (before the first connection opens); later it
   returns SQLITE_MISUSE (21) and changes nothing. Swift cannot call the variadic
   sqlite3_config itself. Returns SQLITE_OK (0) or an SQLite error code. */
int csha256_sqlite_disable_memstatus(void);
#endif
