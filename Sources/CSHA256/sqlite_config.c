/* Process-wide SQLite settings that only the variadic sqlite3_config can make (see
   csha256_sqlite_config.h). */
#include <sqlite3.h>
#include "csha256_sqlite_config.h"

int csha256_sqlite_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
