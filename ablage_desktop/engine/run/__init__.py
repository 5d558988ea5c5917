"""Running a batch: the page walk, jobs, cancellation, which route a page takes."""
