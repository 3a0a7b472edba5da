"""Feed URLs: included at the site root with the namespace ``feeds``."""

from django.urls import path

from . import feeds

app_name = "feeds"

urlpatterns = [
    path("feed/rss/", feeds.ArticleFeed.as_view(), name="site-rss"),
    path("feed/atom/", feeds.SiteAtomFeed.as_view(), name="site-atom"),
    path("city/<slug:slug>/feed/rss/", feeds.CityFeed.as_view(), name="city-rss"),
    path("city/<slug:slug>/feed/atom/", feeds.CityAtomFeed.as_view(), name="city-atom"),
    path("contributors/<slug:slug>/feed/rss/", feeds.ContributorFeed.as_view(), name="contributor-rss"),
    path("contributors/<slug:slug>/feed/atom/", feeds.ContributorAtomFeed.as_view(), name="contributor-atom"),
]
