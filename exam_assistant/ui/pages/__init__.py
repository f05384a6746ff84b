"""The app's pages, run by ``st.navigation`` from ``streamlit_app.py`` (each file is one page)."""
