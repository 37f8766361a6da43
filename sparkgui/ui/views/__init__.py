"""Views: widgets and their layout only. They render texts they are given; controllers decide what."""
