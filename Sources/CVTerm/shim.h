// libvterm 0.1.4 (Debian 12). Anything newer is gated on VTERM_VERSION_MINOR.
#ifndef NSLAB_CVTERM_SHIM_H
#define NSLAB_CVTERM_SHIM_H
#include <vterm.h>
#endif
