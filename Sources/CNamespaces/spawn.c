#include "cnamespaces.h"
