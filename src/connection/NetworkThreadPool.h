#pragma once

class QThreadPool;

// The threads that one-shot jobs waiting on the network run on (a cancel request, a test
// connection, CREATE INDEX CONCURRENTLY), instead of QThreadPool::globalInstance().
//
// Qt itself uses the global pool: the raster paint engine splits some drawing across its threads
// and waits for them on the GUI thread. On a dead network path PQcancel() blocks until TCP gives
// up (minutes), and a few such jobs filled the global pool and froze the window in the middle of
// painting a progress bar. This pool is never waited for at exit either: a job stuck on a dead
// path must not hold up quitting.
namespace NetworkThreadPool {
QThreadPool* instance();
}
