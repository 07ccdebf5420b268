"""Reading the offices' files: values, one layout per import kind, and the reader."""
