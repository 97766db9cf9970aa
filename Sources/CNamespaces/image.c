#include "cnamespaces.h"

#include <elf.h>
#include <link.h>

/* The linker defines __ehdr_start as the first byte of the image, which is its ELF header, mapped with the
 * first segment; hidden, so that reaching it takes no relocation. */
extern const ElfW(Ehdr) __ehdr_start __attribute__((visibility("hidden")));

int nsl_image_is_fixed(void) { return __ehdr_start.e_type == ET_EXEC; }
