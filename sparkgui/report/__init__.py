"""Reports for people: the PDF summary for the venue's IT (QtGui, headless-capable) and file naming.

Only `pdf` imports Qt; the content and the rules are plain Python so they can be tested without a display.
"""
