from django.urls import include, path

from stations import offline_views, views

urlpatterns = [
    # /stations/: anchor staff open a station on a tablet
    path("stations/", views.station_list, name="stations-list"),
    path("stations/<int:station_id>/open/", views.station_open, name="stations-open"),
    # /kiosk/: the tablet, once opened
    path("kiosk/", views.kiosk_start, name="stations-kiosk"),
    path("kiosk/code/", views.kiosk_code, name="stations-kiosk-code"),
    path("kiosk/ballot/", views.kiosk_ballot, name="stations-kiosk-ballot"),
    path("kiosk/ballot/paper/", views.kiosk_paper, name="stations-kiosk-paper"),
    path("kiosk/ballot/meter/", views.kiosk_meter, name="stations-kiosk-meter"),
    path("kiosk/done/", views.kiosk_done, name="stations-kiosk-done"),
    path("kiosk/reset/", views.kiosk_reset, name="stations-kiosk-reset"),
    path("kiosk/staff/unlock/", views.kiosk_unlock, name="stations-kiosk-unlock"),
    path("kiosk/staff/", views.kiosk_staff, name="stations-kiosk-staff"),
    path("kiosk/staff/codes/", views.kiosk_codes_resume, name="stations-kiosk-codes-resume"),
    path("kiosk/staff/lock/", views.kiosk_lock, name="stations-kiosk-lock"),
    path("kiosk/staff/declaration/", views.kiosk_declaration, name="stations-kiosk-declaration"),
    path("kiosk/staff/close/", views.kiosk_close, name="stations-kiosk-close"),
    path("kiosk/closed/", views.kiosk_closed, name="stations-kiosk-closed"),
    # The kiosk's offline path (needs JavaScript): worker, fallback page, key, sync
    path("kiosk/offline-worker.js", offline_views.offline_worker, name="stations-kiosk-worker"),
    path("kiosk/offline/", offline_views.offline_shell, name="stations-kiosk-offline"),
    path(
        "kiosk/offline/manifest.json",
        offline_views.offline_manifest,
        name="stations-kiosk-offline-manifest",
    ),
    path("kiosk/offline/key/", offline_views.offline_key, name="stations-kiosk-offline-key"),
    path("kiosk/offline/sync/", offline_views.offline_sync, name="stations-kiosk-offline-sync"),
    path("", include("stations.paper_urls")),
]
