import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router';
import '../../shared/base.css';
import './shop.css';
import { Account } from './pages/Account';
import { Cart } from './pages/Cart';
import { Checkout } from './pages/Checkout';
import { Confirmation } from './pages/Confirmation';
import { Landing } from './pages/Landing';
import { Login } from './pages/Login';
import { NotFound } from './pages/NotFound';
import { Outbox } from './pages/Outbox';
import { Pay } from './pages/Pay';
import { PaymentFailed } from './pages/PaymentFailed';
import { Products } from './pages/Products';
import { ResetPassword } from './pages/ResetPassword';
import { ResetRequest } from './pages/ResetRequest';
import { SignUp } from './pages/SignUp';
import { Site } from './site';

function App() {
  return (
    <BrowserRouter basename="/shop">
      <Routes>
        <Route index element={<Landing />} />
        <Route path=":siteId" element={<Site />}>
          <Route index element={<Products />} />
          <Route path="cart" element={<Cart />} />
          <Route path="checkout" element={<Checkout />} />
          <Route path="orders/:orderId/pay" element={<Pay />} />
          <Route path="orders/:orderId/confirmation" element={<Confirmation />} />
          <Route path="orders/:orderId/failed" element={<PaymentFailed />} />
          <Route path="signup" element={<SignUp />} />
          <Route path="login" element={<Login />} />
          <Route path="account" element={<Account />} />
          <Route path="reset" element={<ResetRequest />} />
          <Route path="reset/code" element={<ResetPassword />} />
          <Route path="outbox" element={<Outbox />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
