#ifndef NSL_THREAD_H
#define NSL_THREAD_H

/* Lowers the calling thread's scheduling priority alone (Linux keeps a nice value per thread) by `increment`;
 * returns 0, or -1 with errno set. */
int nsl_nice_this_thread(int increment);

#endif
