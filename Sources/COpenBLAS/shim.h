#include <cblas.h>

/* Exported by OpenBLAS but not declared in cblas.h: stops its worker threads,
   which it starts again by itself when a threaded product needs them. */
int blas_thread_shutdown_(void);
