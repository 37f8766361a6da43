"""The desktop window: a thin PySide6 layer over the engine, bridged to asyncio by qasync."""
