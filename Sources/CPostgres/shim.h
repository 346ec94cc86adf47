/* libpq, PostgreSQL's own client library (Debian libpq-dev). Only BytebitLoader imports it, so only the
 * `loader` executable links it. libpq reads PGPASSWORD, ~/.pgpass and `sslmode` by itself. */
#include <libpq-fe.h>
